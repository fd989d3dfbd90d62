"""The example plugin's API (``/api/v1/orgs/<slug>/plugins/example/notes``) and web page."""

from flask import Blueprint, render_template
from flask.views import MethodView
from sqlalchemy import select

from core.api.blueprint import ApiBlueprint
from core.extensions import db
from core.lifecycle import permission
from tests.example_plugin.models import ExampleNote
from tests.example_plugin.schemas import NoteListSchema, NoteSchema

api_blp = ApiBlueprint("plugin_example", __name__, description="Example notes")
web_bp = Blueprint("plugin_example_web", __name__, template_folder="templates")
public_bp = Blueprint("plugin_example_public", __name__, template_folder="templates")


@api_blp.route("/notes")
class Notes(MethodView):
    @api_blp.response(200, NoteListSchema)
    @permission("organisation.read")
    def get(self):
        """Notes of the organisation."""
        items = db.session.scalars(select(ExampleNote).order_by(ExampleNote.id)).all()
        return {"items": items, "total": len(items)}

    @api_blp.arguments(NoteSchema)
    @api_blp.response(201, NoteSchema)
    @permission("example.write")
    def post(self, body):
        """Write a note."""
        note = ExampleNote(**body)
        db.session.add(note)
        db.session.flush()
        return note


@api_blp.route("/notes/<int:note_id>")
class NoteDetail(MethodView):
    @api_blp.response(200, NoteSchema)
    @permission("organisation.read")
    def get(self, note_id):
        """One note."""
        return db.get_or_404(ExampleNote, note_id)


@web_bp.route("/")
@permission("organisation.read")
def index():
    notes = db.session.scalars(select(ExampleNote).order_by(ExampleNote.id)).all()
    return render_template("example/index.html", notes=notes)


@public_bp.route("/notes/<int:note_id>")
def public_note(note_id):
    """A page anyone may read (``/p/<slug>/example/notes/<id>``)."""
    note = db.get_or_404(ExampleNote, note_id)
    return render_template("example/index.html", notes=[note])
