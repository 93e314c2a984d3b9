"""two-step sign-in: passkeys, authenticator apps, recovery codes, ceremonies

Revision ID: 0007
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

import backend.db

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _user_fk(table):
    return sa.ForeignKeyConstraint(
        ["user_id"], ["users.id"], name=f"fk_{table}_user_id_users", ondelete="CASCADE"
    )


def upgrade():
    op.create_table(
        "passkeys",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("credential_id", sa.LargeBinary(length=1023), nullable=False),
        sa.Column("public_key", sa.LargeBinary(length=2048), nullable=False),
        sa.Column("sign_count", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("created_at", backend.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", backend.db.UTCDateTime(timezone=True), nullable=True),
        _user_fk("passkeys"),
        sa.PrimaryKeyConstraint("id", name="pk_passkeys"),
        sa.UniqueConstraint("credential_id", name="uq_passkeys_credential_id"),
    )
    with op.batch_alter_table("passkeys") as batch_op:
        batch_op.create_index("ix_passkeys_user_id", ["user_id"], unique=False)

    op.create_table(
        "totp_factors",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("secret", sa.String(length=255), nullable=False),
        sa.Column("last_step", sa.Integer(), nullable=False),
        sa.Column("created_at", backend.db.UTCDateTime(timezone=True), nullable=False),
        _user_fk("totp_factors"),
        sa.PrimaryKeyConstraint("id", name="pk_totp_factors"),
        sa.UniqueConstraint("user_id", name="uq_totp_factors_user_id"),
    )

    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("used_at", backend.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", backend.db.UTCDateTime(timezone=True), nullable=False),
        _user_fk("recovery_codes"),
        sa.PrimaryKeyConstraint("id", name="pk_recovery_codes"),
        sa.UniqueConstraint("code_hash", name="uq_recovery_codes_code_hash"),
    )
    with op.batch_alter_table("recovery_codes") as batch_op:
        batch_op.create_index("ix_recovery_codes_user_id", ["user_id"], unique=False)

    op.create_table(
        "two_step_challenges",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("challenge_secret", sa.LargeBinary(length=64), nullable=True),
        sa.Column("totp_secret", sa.String(length=255), nullable=True),
        sa.Column("remember", sa.Boolean(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", backend.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", backend.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "purpose IN ('sign_in', 'passkey', 'totp')", name="ck_two_step_challenges_purpose"
        ),
        _user_fk("two_step_challenges"),
        sa.PrimaryKeyConstraint("id", name="pk_two_step_challenges"),
    )
    with op.batch_alter_table("two_step_challenges") as batch_op:
        batch_op.create_index("ix_two_step_challenges_user_id", ["user_id"], unique=False)

    op.create_table(
        "two_step_settings",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("updated_at", backend.db.UTCDateTime(timezone=True), nullable=False),
        _user_fk("two_step_settings"),
        sa.PrimaryKeyConstraint("user_id", name="pk_two_step_settings"),
    )


def downgrade():
    op.drop_table("two_step_settings")
    with op.batch_alter_table("two_step_challenges") as batch_op:
        batch_op.drop_index("ix_two_step_challenges_user_id")
    op.drop_table("two_step_challenges")
    with op.batch_alter_table("recovery_codes") as batch_op:
        batch_op.drop_index("ix_recovery_codes_user_id")
    op.drop_table("recovery_codes")
    op.drop_table("totp_factors")
    with op.batch_alter_table("passkeys") as batch_op:
        batch_op.drop_index("ix_passkeys_user_id")
    op.drop_table("passkeys")
