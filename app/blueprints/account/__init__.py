from flask import Blueprint

bp = Blueprint("account", __name__, url_prefix="/account")

from app.blueprints.account import data, reauth, routes, two_factor  # noqa: E402,F401
