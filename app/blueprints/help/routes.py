"""Crisis resources: public, no login, reachable from every page."""

from flask import render_template, request
from flask_login import current_user

from app.blueprints.help import bp
from app.content import crisis_lines
from app.policy.context import current_membership


def _country_for_request() -> str:
    asked = (request.args.get("country") or "").upper()
    if asked in crisis_lines.countries():
        return asked
    if current_user.is_authenticated:
        membership = current_membership()
        if membership is not None:
            return crisis_lines.country_of_team(membership.team)
    for language, _quality in request.accept_languages:
        region = language.replace("_", "-").partition("-")[2].upper()
        if region in crisis_lines.countries():
            return region
    return ""


@bp.route("/help")
def crisis():
    country = _country_for_request()
    countries = crisis_lines.country_names()
    return render_template(
        "help/crisis.html",
        country=country,
        country_name=dict(countries).get(country, ""),
        entry=crisis_lines.for_country(country),
        countries=countries,
    )
