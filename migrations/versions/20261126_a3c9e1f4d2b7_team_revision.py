"""team revision: goes up whenever something the therapist dashboard shows of a team changes

Revision ID: a3c9e1f4d2b7
Revises: b7ab97bae570
Create Date: 2026-11-26 01:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a3c9e1f4d2b7'
down_revision = 'b7ab97bae570'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('care_team', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('care_team', schema=None) as batch_op:
        batch_op.drop_column('revision')
