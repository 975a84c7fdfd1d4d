"""Reports the size of the authorization matrix at the end of the run."""


def pytest_terminal_summary(terminalreporter):
    from tests.security.access_matrix.engine import STATS

    if STATS["cases"]:
        terminalreporter.write_sep(
            "-",
            f"authorization matrix: {STATS['cases']} requests checked, "
            f"{STATS['emails']} emails rendered",
        )
