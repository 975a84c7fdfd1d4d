"""Harbor's check-in charts, in the reader's language: urge and thoughts over time, coping
steps and how much they helped, feelings as a heat strip, and the caseload's sparklines."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from functools import lru_cache

from babel.dates import format_skeleton
from babel.numbers import format_decimal as babel_format_decimal
from flask_babel import format_decimal, get_locale, get_translations, ngettext
from flask_babel import gettext as _
from markupsafe import Markup

from app.domain.checkins.vocabulary import EMOTIONS, HELPED_LABELS
from app.models import CheckIn, Helped
from app.platform import charts
from app.platform.charts import Bar, Chart, Series, Table

URGE = "#0b5566"
THOUGHTS = "#6b3fa0"
HELPED_COLOURS = {Helped.NOT: "#6b7780", Helped.A_BIT: "#3d7f91", Helped.A_LOT: "#0b5566"}


def short_day(day: date) -> str:
    return _short_day(day, str(get_locale()))


@lru_cache(maxsize=2048)
def _short_day(day: date, locale: str) -> str:
    # Babel formats slowly, and the caseload's sparklines label the same week for every teen.
    return format_skeleton("MMMd", day, locale=locale)


def _x_labels(days: Sequence[date]) -> dict[int, str]:
    last = len(days) - 1
    return {index: short_day(days[index]) for index in sorted({0, last // 2, last})}


def _average(values: Sequence[int]) -> str:
    return format_decimal(sum(values) / len(values), "0.0") if values else "–"


def _yes_no(value: bool) -> str:
    return str(_("Yes") if value else _("No"))


def urge_chart(chart_id: str, days: Sequence[date], by_day: dict[date, CheckIn]) -> Chart:
    rows = [by_day[day] for day in days if day in by_day]
    acted = [index for index, day in enumerate(days) if day in by_day and by_day[day].acted]
    title = _(
        "Urge to self-harm and thoughts of suicide, %(start)s to %(end)s",
        start=short_day(days[0]),
        end=short_day(days[-1]),
    )
    desc = " ".join(
        [
            ngettext(
                "%(num)d check-in in these days.", "%(num)d check-ins in these days.", len(rows)
            ),
            _(
                "Urge: average %(urge)s out of 5. "
                "Thoughts of suicide: average %(thoughts)s out of 5.",
                urge=_average([r.urge for r in rows]),
                thoughts=_average([r.thoughts for r in rows]),
            ),
            ngettext(
                "Acted on an urge on %(num)d day.", "Acted on an urge on %(num)d days.", len(acted)
            ),
            _("Days without a check-in are left empty."),
        ]
    )
    table = Table(
        caption=title,
        headers=(_("Day"), _("Urge (0–5)"), _("Thoughts of suicide (0–5)"), _("Acted on an urge")),
        rows=[
            (short_day(r.local_date), str(r.urge), str(r.thoughts), _yes_no(r.acted)) for r in rows
        ],
    )
    return charts.line_chart(
        chart_id,
        title=title,
        desc=desc,
        series=[
            Series(_("Urge"), [by_day[d].urge if d in by_day else None for d in days], URGE),
            Series(
                _("Thoughts of suicide"),
                [by_day[d].thoughts if d in by_day else None for d in days],
                THOUGHTS,
                dash="6 4",
                marker="square",
            ),
        ],
        x_labels=_x_labels(days),
        count=len(days),
        pins=acted,
        pin_label=_("Acted on an urge"),
        table=table,
    )


def coping_chart(chart_id: str, checkins: Sequence[CheckIn], names: dict[str, str]) -> Chart:
    counts: dict[str, Counter[Helped]] = {}
    for checkin in checkins:
        for coping in checkin.copings:
            counts.setdefault(coping.item_key, Counter())[coping.helped] += 1
    ordered = [key for key in names if key in counts] + sorted(set(counts) - set(names))
    title = _("Coping steps tried, and how much they helped")
    desc = (
        ngettext(
            "%(num)d coping step was tried in these days.",
            "%(num)d coping steps were tried in these days.",
            len(ordered),
        )
        if ordered
        else _("No coping steps were marked as tried in these days.")
    )
    groups = []
    rows = []
    for key in ordered:
        name = names.get(key) or _("A step no longer in the plan")
        tally = counts[key]
        bars = [
            Bar(f"{HELPED_LABELS[h]}: {tally[h]}", tally[h], HELPED_COLOURS[h])
            for h in (Helped.A_LOT, Helped.A_BIT, Helped.NOT)
        ]
        groups.append((name, bars))
        rows.append(
            (
                name,
                str(sum(tally.values())),
                *(str(tally[h]) for h in (Helped.A_LOT, Helped.A_BIT, Helped.NOT)),
            )
        )
    table = Table(
        caption=title,
        headers=(
            _("Coping step"),
            _("Times tried"),
            *(str(HELPED_LABELS[h]) for h in (Helped.A_LOT, Helped.A_BIT, Helped.NOT)),
        ),
        rows=rows,
    )
    return charts.bar_chart(chart_id, title=title, desc=desc, groups=groups, table=table)


def emotion_chart(chart_id: str, days: Sequence[date], by_day: dict[date, CheckIn]) -> Chart:
    felt: dict[str, dict[date, int]] = {}
    for day, checkin in by_day.items():
        for emotion in checkin.emotions:
            felt.setdefault(emotion.emotion, {})[day] = emotion.intensity
    shown = [e for e in EMOTIONS if e.code in felt]
    strips = [
        (str(e.label), [felt[e.code].get(d, 0) if d in by_day else None for d in days])
        for e in shown
    ]
    title = _("Feelings, %(start)s to %(end)s", start=short_day(days[0]), end=short_day(days[-1]))
    desc = (
        _(
            "Each row is a feeling; the taller and darker its mark on a day, the stronger it was "
            "(1 to 5). A tick under the rows marks each day with a check-in. "
            "Most often felt: %(feelings)s.",
            feelings=", ".join(
                str(e.label) for e in sorted(shown, key=lambda e: -len(felt[e.code]))[:3]
            ),
        )
        if shown
        else _("No feelings were marked in these days.")
    )
    table = Table(
        caption=title,
        headers=(_("Feeling"), _("Days felt"), _("Average strength (1–5)"), _("Strongest")),
        rows=[
            (
                str(e.label),
                str(len(felt[e.code])),
                _average(list(felt[e.code].values())),
                str(max(felt[e.code].values())),
            )
            for e in shown
        ],
    )
    return charts.heat_strip(
        chart_id,
        title=title,
        desc=desc,
        rows=strips,
        count=len(days),
        x_labels=_x_labels(days),
        colour=URGE,
        table=table,
    )


@lru_cache(maxsize=64)
def _sparkline_words(translations: object) -> tuple[str, str, str, str, str]:
    """The sparkline's words in one language, looked up once rather than for every teen."""
    return (
        _("%(name)s: urge over the last 7 days"),
        _("Check-ins on %(num)s of 7 days; average urge %(avg)s out of 5."),
        _("No check-ins in the last 7 days."),
        _("Day"),
        _("Urge (0–5)"),
    )


@lru_cache(maxsize=64)
def _no_rows(translations: object) -> str:
    return str(_("No check-ins in these days."))


def small_figure(chart: Chart) -> Markup:
    """A sparkline in its figure with its numbers as a table for screen readers, ready to show:
    what the `chart(c, hidden_table=True)` macro writes, without a macro call per teen."""
    return charts.small_figure(chart, _no_rows(get_translations()))


@lru_cache(maxsize=1024)
def _mean(total: int, count: int, locale: str) -> str:
    return babel_format_decimal(total / count, "0.0", locale=locale)


def urge_sparkline(
    chart_id: str, name: str, days: Sequence[date], by_day: dict[date, int]
) -> Chart:
    locale = str(get_locale())
    title_of, desc_of, no_checkins, day_header, urge_header = _sparkline_words(get_translations())
    values = [by_day.get(d) for d in days]
    title = title_of % {"name": name}
    known = [v for v in values if v is not None]
    desc = (
        desc_of % {"num": len(known), "avg": _mean(sum(known), len(known), locale)}
        if known
        else no_checkins
    )
    table = Table(
        caption=title,
        headers=(day_header, urge_header),
        rows=[(_short_day(d, locale), str(by_day[d])) for d in days if d in by_day],
    )
    return charts.sparkline(
        chart_id, title=title, desc=desc, values=values, colour=URGE, table=table
    )
