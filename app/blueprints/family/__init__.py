from app.models import Role
from app.policy.guard import portal

bp = portal(Role.GUARDIAN, __name__)

from app.blueprints.family import routes  # noqa: E402,F401
