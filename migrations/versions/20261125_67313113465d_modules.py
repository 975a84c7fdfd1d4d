"""modules: who should read which psychoeducation module, and how far each person got

Revision ID: 67313113465d
Revises: 01166e4e8afe
Create Date: 2026-11-25 19:45:21.756064

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '67313113465d'
down_revision = "01166e4e8afe"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('module_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('module_slug', sa.String(length=80), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.Enum('therapist', 'guardian', 'teen', 'school', name='role', native_enum=False, length=20), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(membership_id IS NULL) <> (role IS NULL)', name=op.f('ck_module_assignment_member_or_role')),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['user_account.id'], name=op.f('fk_module_assignment_assigned_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['membership_id'], ['membership.id'], name=op.f('fk_module_assignment_membership_id_membership'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['care_team.id'], name=op.f('fk_module_assignment_team_id_care_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_module_assignment'))
    )
    with op.batch_alter_table('module_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_module_assignment_membership_id'), ['membership_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_module_assignment_team_id'), ['team_id'], unique=False)

    op.create_table('module_progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('module_slug', sa.String(length=80), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['membership_id'], ['membership.id'], name=op.f('fk_module_progress_membership_id_membership'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['care_team.id'], name=op.f('fk_module_progress_team_id_care_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_module_progress')),
    sa.UniqueConstraint('membership_id', 'module_slug', name=op.f('uq_module_progress_membership_id'))
    )
    with op.batch_alter_table('module_progress', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_module_progress_team_id'), ['team_id'], unique=False)


def downgrade():
    with op.batch_alter_table('module_progress', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_module_progress_team_id'))

    op.drop_table('module_progress')
    with op.batch_alter_table('module_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_module_assignment_team_id'))
        batch_op.drop_index(batch_op.f('ix_module_assignment_membership_id'))

    op.drop_table('module_assignment')
