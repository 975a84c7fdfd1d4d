from flask import Blueprint

bp = Blueprint("auth", __name__)

from app.blueprints.auth import invitations, routes, two_factor  # noqa: E402,F401
