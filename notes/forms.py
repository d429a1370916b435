"""The note editor's form (rendered, saved through JSON)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from markdownx.widgets import MarkdownxWidget

from notes.models import Note


class NoteBodyWidget(MarkdownxWidget):
    """markdownx's textarea, uploading photos to this session's own upload view.

    markdownx writes its upload path from settings into every textarea; each session has its
    own, so it is set here after markdownx has had its say.
    """

    def __init__(self, *, upload_url="", **kwargs):
        super().__init__(**kwargs)
        self.upload_url = upload_url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-markdownx-upload-urls-path"] = self.upload_url
        return context


class NoteForm(forms.ModelForm):
    """Renders the editor; saves go through the JSON endpoint and services.save_note."""

    class Meta:
        model = Note
        fields = ["body", "visibility"]
        widgets = {"visibility": forms.RadioSelect}
        labels = {"body": _("Your note")}

    def __init__(self, *args, upload_url="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = ""  # the page says it once, for the whole editor
        self.fields["body"].widget = NoteBodyWidget(
            upload_url=upload_url,
            attrs={
                "rows": 14,
                "spellcheck": "true",
                "autocapitalize": "sentences",
                "placeholder": _(
                    "What is the speaker saying? Markdown works: **bold**, - lists, # headings."
                ),
            },
        )
