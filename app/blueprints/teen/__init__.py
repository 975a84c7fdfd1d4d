from app.models import Role
from app.policy.guard import portal

bp = portal(Role.TEEN, __name__)

from app.blueprints.plan_pages import mount_reader_pages  # noqa: E402
from app.blueprints.teen import checkin, routes  # noqa: E402,F401

mount_reader_pages(bp)
