"""The charts: well-formed SVG with a title, a description and a data table, every text
escaped, no style attributes, meaning carried by more than colour."""

# The SVG parsed here is Harbor's own output, read with xml.etree on purpose.
# ruff: noqa: S314

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from app.domain.checkins import queries as checkin_views
from app.extensions import db
from app.models import CheckInCoping, CheckInEmotion, Helped
from app.platform import charts
from app.platform.charts import Series, Table
from tests.checkins.helpers import NOTE, add, plan_with_steps, today

NS = {"svg": charts.SVG_NS}
HOSTILE = 'Step <script>alert("x")</script> & "quotes" \x01'


def parse(chart) -> ET.Element:
    root = ET.fromstring(str(chart.svg))
    assert root.tag == f"{{{charts.SVG_NS}}}svg"
    assert root.get("role") == "img"
    title = root.find("svg:title", NS)
    desc = root.find("svg:desc", NS)
    assert title is not None and title.text == chart.title
    assert desc is not None and desc.text
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")
    assert not any(element.get("style") for element in root.iter())
    assert root.get("viewBox").startswith("0 0 ")
    return root


def texts(root: ET.Element) -> list[str]:
    return [element.text or "" for element in root.iter(f"{{{charts.SVG_NS}}}text")]


@pytest.fixture
def month(app, team):
    keys = plan_with_steps(team)
    end = today(team)
    for back in range(0, 30):
        if back % 5 == 4:
            continue  # missed days
        row = add(
            team,
            end - timedelta(days=back),
            urge=back % 6,
            thoughts=back % 4,
            acted=back == 8,
            note=NOTE,
        )
        db.session.add(
            CheckInEmotion(
                team_id=team.id, checkin_id=row.id, emotion="sad", intensity=1 + back % 5
            )
        )
        db.session.add(
            CheckInCoping(
                team_id=team.id,
                checkin_id=row.id,
                item_key=keys[back % 2],
                helped=list(Helped)[back % 3],
            )
        )
    db.session.commit()
    return checkin_views.trends(team.memberships["therapist"], 30, end)


def test_each_trends_chart_is_valid_svg_with_title_desc_and_table(month):
    assert [c.id for c in month.charts] == ["chart-urge", "chart-coping", "chart-feelings"]
    for chart in month.charts:
        parse(chart)
        assert chart.table.caption and chart.table.headers
        assert all(len(row) == len(chart.table.headers) for row in chart.table.rows)
    urge, coping, feelings = month.charts
    assert len(urge.table.rows) == 24  # one row per check-in, missed days left out
    assert "Acted on an urge on 1 day." in urge.desc
    assert [row[0] for row in coping.table.rows] == [
        "When I feel overwhelmed, I will hold ice for a minute",
        "When I can't sleep, I will draw",
    ]
    assert feelings.table.rows[0][:2] == ("Sad", "24")


def test_meaning_is_not_in_colour_alone(month):
    urge = parse(month.charts[0])
    legend = texts(urge)
    assert {"Urge", "Thoughts of suicide", "Acted on an urge"} <= set(legend)
    # The two series differ in dash as well as colour.
    lines = urge.findall("svg:polyline", NS)
    assert {line.get("stroke-dasharray") for line in lines} == {None, "6 4"}
    bars = texts(parse(month.charts[1]))
    assert any(label.startswith("Helped a lot: ") for label in bars)
    assert any(label.startswith("Did not help: ") for label in bars)


def test_every_text_is_escaped_and_control_characters_dropped():
    table = Table("caption", ("a",), [])
    for chart in (
        charts.bar_chart(
            "c1",
            title=HOSTILE,
            desc=HOSTILE,
            groups=[(HOSTILE, [charts.Bar(HOSTILE, 2, "#000")])],
            table=table,
        ),
        charts.line_chart(
            "c2",
            title=HOSTILE,
            desc=HOSTILE,
            series=[Series(HOSTILE, [1, None, 3], "#000")],
            x_labels={0: HOSTILE},
            count=3,
            pins=[2],
            pin_label=HOSTILE,
            table=table,
        ),
        charts.heat_strip(
            "c3",
            title=HOSTILE,
            desc=HOSTILE,
            rows=[(HOSTILE, [None, 0, 5])],
            count=3,
            x_labels={1: HOSTILE},
            colour="#000",
            table=table,
        ),
        charts.sparkline(
            "c4", title=HOSTILE, desc=HOSTILE, values=[None, 2, 3], colour="#000", table=table
        ),
    ):
        svg = str(chart.svg)
        assert "<script>" not in svg and "\x01" not in svg
        assert "&lt;script&gt;" in svg
        root = ET.fromstring(svg)
        assert root.find("svg:title", NS).text == HOSTILE.replace("\x01", "")


def test_a_missed_day_breaks_the_line():
    chart = charts.line_chart(
        "gap",
        title="t",
        desc="d",
        series=[Series("Urge", [1, 2, None, 3, 4], "#000")],
        x_labels={0: "a", 4: "b"},
        count=5,
        table=Table("c", ("x",), []),
    )
    assert len(parse(chart).findall("svg:polyline", NS)) == 2


def test_charts_with_no_check_ins_still_say_so(app, team):
    shown = checkin_views.trends(team.memberships["teen"], 90, date(2026, 5, 1))
    assert shown.days == 90 and shown.entries.items == []
    for chart in shown.charts:
        parse(chart)
    assert "0 check-ins in these days." in shown.charts[0].desc
    assert shown.charts[1].desc == "No coping steps were marked as tried in these days."


def test_an_unknown_period_falls_back_to_thirty_days(app, team):
    assert checkin_views.trends(team.memberships["teen"], 7, date(2026, 5, 1)).days == 30


def test_pages_carry_each_chart_with_its_table(client, login_as, team, month):
    login_as("therapist")
    page = client.get(f"/therapist/teams/{team.id}/checkins").text
    assert page.count("<svg") == 3
    assert page.count('<details class="chart-data">') == 3
    for svg in re.findall(r"<svg.*?</svg>", page, re.S):
        ET.fromstring(svg)
    assert "style=" not in page
    dashboard = client.get("/therapist/").text
    [spark] = re.findall(r"<svg.*?</svg>", dashboard, re.S)
    ET.fromstring(spark)
    assert '<div class="visually-hidden"><table>' in dashboard
