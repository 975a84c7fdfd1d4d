from app.models import Role
from app.policy.guard import portal

bp = portal(Role.SCHOOL, __name__)

from app.blueprints.school import routes  # noqa: E402,F401
