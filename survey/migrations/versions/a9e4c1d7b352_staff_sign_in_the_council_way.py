"""staff sign in the council way: several roles per person, single sign-on subjects, TOTP,
recovery codes, a hard end to each session, and settings administrators change in Heard

Revision ID: a9e4c1d7b352
Revises: f3b8d1e5c7a2
Create Date: 2026-12-04 23:20:00

"""
from alembic import op
import sqlalchemy as sa

import survey.models.base


# revision identifiers, used by Alembic.
revision = 'a9e4c1d7b352'
down_revision = 'f3b8d1e5c7a2'
branch_labels = None
depends_on = None

ROLE = sa.Enum(
    'ADMIN', 'PARTICIPATION', 'QA_REVIEWER', 'COMPLAINTS', 'SAFEGUARDING',
    name='role', native_enum=False, length=20,
)


def upgrade():
    op.create_table(
        'staff_user_role',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('role', ROLE, nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['staff_user.id'],
            name=op.f('fk_staff_user_role_user_id_staff_user'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('user_id', 'role', name=op.f('pk_staff_user_role')),
    )
    op.execute('INSERT INTO staff_user_role (user_id, role) SELECT id, role FROM staff_user')
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_column('role')
        batch_op.add_column(sa.Column('sso_issuer', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('sso_subject', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f('uq_staff_user_sso_issuer'), ['sso_issuer', 'sso_subject']
        )
    with op.batch_alter_table('staff_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', survey.models.base.UTCDateTime(timezone=True), nullable=True))
    op.create_table(
        'recovery_code',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('used_at', survey.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['user_id'], ['staff_user.id'],
            name=op.f('fk_recovery_code_user_id_staff_user'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_code')),
    )
    op.create_index(op.f('ix_recovery_code_user_id'), 'recovery_code', ['user_id'], unique=False)
    op.create_table(
        'site_setting',
        sa.Column('key', sa.String(length=60), nullable=False),
        sa.Column('value', sa.Text(), nullable=False),
        sa.Column('updated_at', survey.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ['updated_by_id'], ['staff_user.id'],
            name=op.f('fk_site_setting_updated_by_id_staff_user'),
        ),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_site_setting')),
    )


def downgrade():
    op.drop_table('site_setting')
    op.drop_index(op.f('ix_recovery_code_user_id'), table_name='recovery_code')
    op.drop_table('recovery_code')
    with op.batch_alter_table('staff_session', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_staff_user_sso_issuer'), type_='unique')
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('totp_secret')
        batch_op.drop_column('sso_subject')
        batch_op.drop_column('sso_issuer')
        batch_op.add_column(sa.Column('role', ROLE, nullable=True))
    # A person with several roles keeps the most powerful one, in the table's order.
    op.execute(
        "UPDATE staff_user SET role = (SELECT r.role FROM staff_user_role r "
        "WHERE r.user_id = staff_user.id ORDER BY CASE r.role WHEN 'ADMIN' THEN 0 "
        "WHEN 'SAFEGUARDING' THEN 1 WHEN 'COMPLAINTS' THEN 2 WHEN 'QA_REVIEWER' THEN 3 "
        "ELSE 4 END LIMIT 1)"
    )
    op.execute("UPDATE staff_user SET role = 'PARTICIPATION' WHERE role IS NULL")
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.alter_column('role', existing_type=ROLE, nullable=False)
    op.drop_table('staff_user_role')
