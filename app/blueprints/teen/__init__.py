from app.models import Role
from app.policy.guard import portal

bp = portal(Role.TEEN, __name__)

from app.blueprints.teen import routes  # noqa: E402,F401
