from app.models import Role
from app.policy.guard import portal

bp = portal(Role.THERAPIST, __name__)

from app.blueprints.therapist import audit, checkins, plan, routes, safety  # noqa: E402,F401
