def test_health_answers_ok_with_the_security_headers(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.text == "ok"
    assert response.mimetype == "text/plain"
    assert response.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_health_reads_neither_the_database_nor_the_session(client, login_as, count_queries):
    login_as("teen")  # a signed-in cookie must not make it look the session up
    before = count_queries.count
    response = client.get("/health")
    assert response.status_code == 200
    assert count_queries.count == before
    assert "Set-Cookie" not in response.headers
