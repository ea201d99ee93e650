"""The district's roster import through the API, as on the roster page (diagnosis/web/roster/views.py)
and ``flask roster import``: the same check of every row (diagnosis/pipeline/roster.py), the same
scope (an official imports only companies of its parks: a row for another park is a bad row), the
same rule (nothing is imported while any row is bad, unless ``valid_rows``), the same write.

The file is a multipart part ``file`` (.xlsx, .xls or .csv, told apart by content). Each bad cell is
an error ``{"field": "files.file.row.<N>.<column>", "reason", "row", "column"}``: N is the row number
as the spreadsheet shows it, ``column`` the column's header in the file (统一社会信用代码) and its key in
the field (credit_code). A file that cannot be read as a roster at all is one 422 at ``files.file``.
``dry_run`` wins over ``valid_rows``, as the page's 仅检查 button does.
"""

from __future__ import annotations

from typing import Any

from apiflask.fields import UploadFile
from flask import json
from pydantic import BaseModel, Field

from diagnosis.pipeline.roster import HEADER_NAMES, Limits, RosterFileError, RosterPlan, check_roster, summary
from diagnosis.store.db import get_session
from diagnosis.web.access import role_required
from diagnosis.web.roster.views import RACE_MESSAGE, apply_checked, imports, roster_scope

from .blueprint import bp
from .conventions import idempotent
from .problems import Refused, error_response
from .schemas import Body

FIELD = "files.file"


class RosterIn(Body):
    file: UploadFile = Field(description="The roster: .xlsx, .xls or .csv (UTF-8 or GB18030), at most "
                                         "10 MB and 50,000 rows; columns as the page's template")
    dry_run: bool = Field(False, description="Check every row, say what an import would do, import nothing")
    valid_rows: bool = Field(False, description="Import the good rows even when some rows are bad")


class RowError(BaseModel):
    field: str = Field(description="files.file.row.<row>.<column key>")
    reason: str
    row: int = Field(description="The row number as the spreadsheet shows it")
    column: str = Field(description="The column's header as the file writes it")


class RosterCounts(BaseModel):
    rows: int = Field(description="Data rows below the header")
    new: int
    updated: int = Field(description="Roster records nobody has registered yet, changed by the file")
    unchanged: int
    registered: int = Field(description="Companies that registered themselves: the roster leaves them")
    bad: int = Field(description="Rows refused")


class RosterOut(BaseModel):
    dry_run: bool
    imported: int = Field(description="Companies written (new + updated); 0 for a dry run")
    would_import: int = Field(description="Companies an import writes (new + updated)")
    refused_rows: int
    counts: RosterCounts
    errors: list[RowError] = Field(description="Every bad cell, by row and column")


def row_errors(plan: RosterPlan) -> list[dict[str, Any]]:
    return [{"field": f"{FIELD}.row.{problem.row}.{HEADER_NAMES[problem.column]}", "reason": problem.message,
             "row": problem.row, "column": problem.column} for problem in plan.problems]


def roster_out(plan: RosterPlan, dry_run: bool, imported: bool) -> RosterOut:
    counts = summary(plan)
    writes = counts["new"] + counts["updated"]
    return RosterOut(dry_run=dry_run, imported=writes if imported else 0, would_import=writes,
                     refused_rows=counts["bad"], counts=RosterCounts(**counts),
                     errors=[RowError(**error) for error in row_errors(plan)])


def bad_rows(plan: RosterPlan) -> Any:
    """422: the bad rows as the errors, the counts beside them; nothing imported."""
    response = error_response(422, row_errors(plan))
    response.set_data(json.dumps({**response.get_json(), "counts": summary(plan)}))
    return response


def _mode(files_data: RosterIn) -> str:
    """The page's modes (RosterForm.mode)."""
    if files_data.dry_run:
        return "check"
    return "valid_rows" if files_data.valid_rows else "import"


@bp.post("/roster")
@role_required("official", "admin")
@idempotent
@bp.input(RosterIn, location="files")
@bp.output(RosterOut, description="Checked (dry_run): what an import would do and every bad row")
@bp.doc(summary="Import the district's roster (企业名录)", responses={  # type: ignore[arg-type]
    201: {"description": "Imported: the counts, and the bad rows left out (valid_rows)",
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RosterOut"}}}},
    401: "No usable token", 403: "Neither an official nor an admin",
    409: "Another import or a registration took one of the credit codes meanwhile: nothing imported",
    413: "The body is over the upload limit (`files.file`)",
    422: "The file is not a roster (`files.file`), or rows are bad and `valid_rows` is not set: every "
         "bad cell is an error (`files.file.row.<N>.<column>`, with `row` and `column`), `counts` beside"})
def import_roster(files_data: RosterIn) -> Any:
    limits = Limits()
    data = files_data.file.stream.read(limits.max_bytes + 1)  # a byte past the limit, as the page
    try:
        plan = check_roster(get_session(), data, roster_scope(), limits)
    except RosterFileError as error:
        raise Refused(422, str(error), FIELD) from error
    mode = _mode(files_data)
    if not imports(plan, mode):
        return bad_rows(plan) if mode == "import" else roster_out(plan, dry_run=True, imported=False)
    if not apply_checked(plan):
        raise Refused(409, RACE_MESSAGE)
    return roster_out(plan, dry_run=False, imported=True), 201
