"""Your data: downloading your account data and the teen's record, and closing the account.
Each asks for a recent password confirmation (app.blueprints.account.reauth)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from flask import Response, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.blueprints.account import bp
from app.blueprints.account.data_forms import DeleteAccountForm
from app.blueprints.account.reauth import recent_auth_required
from app.blueprints.forms import ActionForm, show_service_error
from app.domain.accounts import deletion as account_deletion
from app.domain.accounts import export as account_export
from app.domain.errors import ServiceError
from app.domain.records import export as record_export
from app.policy import data_rights


def _download(document: dict[str, Any], name: str) -> Response:
    """A file, never a page: not kept by the browser cache or any proxy on the way. The name
    carries no one's name, since downloads folders are often shared."""
    body = json.dumps(document, ensure_ascii=False, indent=2)
    filename = f"harbor-{name}-{date.today().isoformat()}.json"
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/data")
@recent_auth_required
def data_page():
    return render_template(
        "account/data.html",
        records=data_rights.record_exports(current_user),
        form=ActionForm(),
    )


@bp.route("/data/account", methods=["POST"])
@recent_auth_required(back="account.data_page")
def download_account():
    if not ActionForm().validate_on_submit():
        abort(400)
    document = account_export.export_account(current_user)
    return _download(document, "account")


@bp.route("/data/record/<int:membership_id>", methods=["POST"])
@recent_auth_required(back="account.data_page")
def download_record(membership_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    membership = data_rights.record_export_or_404(current_user, membership_id)
    document = record_export.export_record(membership, current_user)
    return _download(document, f"record-{membership.team_id}")


@bp.route("/delete", methods=["GET", "POST"])
@recent_auth_required
def delete_account():
    form = DeleteAccountForm()
    refusal = account_deletion.refusal(current_user)
    if refusal is None and form.validate_on_submit():
        try:
            account_deletion.delete_account(current_user)
        except ServiceError as error:
            show_service_error(form, error)
        else:
            session.clear()
            flash(_("Your account is deleted, and you are signed out."), "success")
            return redirect(url_for("auth.login"))
    return render_template("account/delete.html", form=form, refusal=refusal)
