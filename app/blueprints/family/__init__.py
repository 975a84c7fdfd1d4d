from app.models import Role
from app.policy.guard import portal

bp = portal(Role.GUARDIAN, __name__)

from app.blueprints.family import routes  # noqa: E402,F401
from app.blueprints.plan_pages import mount_reader_pages  # noqa: E402

mount_reader_pages(bp)
