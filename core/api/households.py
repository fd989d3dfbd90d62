"""``/households``: homes and tenancies, and their all-or-nothing CSV import from a housing
management system (``/households/import``). Households are involvement records (``records.*``);
the people living in them are not shown here.
"""

from __future__ import annotations

from typing import IO

from flask import request
from flask.views import MethodView

from core.api.resources import org_blueprint
from core.bounds import read_in_pieces
from core.errors import ValidationFailed
from core.lifecycle import permission
from core.models import Household
from core.records import get_or_404, paginate, url_model
from core.schemas.places import (
    HouseholdArgs,
    HouseholdListSchema,
    HouseholdSchema,
    HouseholdUpdateSchema,
    ImportResultSchema,
)
from core.services.csv_import import HOUSEHOLDS, UnsupportedMediaType, decode_stream, import_csv
from core.services.people import delete_household, household_query, save_household

blp = org_blueprint("households", "households", "Households: homes and tenancies, and their CSV import")
url_model("household_id", Household, "household")

CSV_UPLOAD = {
    "required": True,
    "description": "The CSV file: as the request body (text/csv) or as the field `file` of a form.",
    "content": {
        "text/csv": {"schema": {"type": "string"}},
        "multipart/form-data": {
            "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
        },
    },
}

IMPORT_REFUSED = 'Nothing imported; `fields` names every bad cell ("row 3.postcode") or "header".'
NOT_CSV = "The request is neither a text/csv body nor a multipart form with the field `file`."


def uploaded_csv() -> IO[str]:
    """The uploaded CSV as a text stream: a text/csv body or the multipart field ``file``, read
    in pieces (never whole into memory) with the upload size limit still answering 413."""
    if request.mimetype in ("text/csv", "application/csv", "text/plain"):
        return decode_stream(read_in_pieces(request.stream))
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise ValidationFailed({"file": ["Attach the CSV file as the form field 'file'."]})
        return decode_stream(read_in_pieces(upload.stream))
    raise UnsupportedMediaType("Send the CSV as a text/csv body, or as the field 'file' of a multipart form.")


@blp.route("")
class Households(MethodView):
    @blp.arguments(HouseholdArgs, location="query")
    @blp.response(200, HouseholdListSchema)
    @permission("records.read")
    def get(self, args):
        """Households, by reference.

        Filter by area (the areas inside it included), tenure, active, the start of the
        postcode, or ``q``: part of the reference or address."""
        return paginate(household_query(args), args)

    @blp.arguments(HouseholdSchema)
    @blp.response(201, HouseholdSchema)
    @blp.alt_response(409, description="Another household has this reference")
    @permission("records.write")
    def post(self, body):
        """Create a household (reference unique in the organisation)."""
        return save_household(None, body)


@blp.route("/import")
class HouseholdImport(MethodView):
    @blp.doc(requestBody=CSV_UPLOAD)
    @blp.response(200, ImportResultSchema)
    @blp.alt_response(422, description=IMPORT_REFUSED)
    @blp.alt_response(415, description=NOT_CSV)
    @permission("records.write")
    def post(self):
        """Import households from a CSV file.

        Columns: reference (required), address_line_1..4 or address, postcode, area (name or
        id), tenure, active (yes/no, default yes); at most 100,000 rows. Rows are matched on
        reference: new ones are created, changed ones updated, unchanged ones left alone, so
        importing the same file again changes nothing. All or nothing: any problem answers 422
        whose ``fields`` name every bad cell as ``"row N.column"`` (the header is row 1) or
        ``"header"``, and nothing is written."""
        return import_csv(HOUSEHOLDS, uploaded_csv())


@blp.route("/<int:household_id>")
class HouseholdDetail(MethodView):
    @blp.response(200, HouseholdSchema)
    @permission("records.read")
    def get(self, household_id):
        """One household."""
        return get_or_404(Household, household_id)

    @blp.arguments(HouseholdUpdateSchema)
    @blp.response(200, HouseholdSchema)
    @blp.alt_response(409, description="Another household has this reference")
    @permission("records.write")
    def patch(self, changes, household_id):
        """Change a household."""
        return save_household(get_or_404(Household, household_id), changes)

    @blp.response(204)
    @blp.alt_response(409, description="People are recorded at this household")
    @permission("records.write")
    def delete(self, household_id):
        """Delete a household nobody is recorded at."""
        delete_household(get_or_404(Household, household_id))
