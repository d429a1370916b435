"""The write-up compose form: it checks what was posted; writeup_services stores it."""

from django import forms
from django.utils.translation import gettext_lazy as _
from markdownx.widgets import MarkdownxWidget

from .models import WriteUp

TEXT_MAX_CHARS = 100_000
SUMMARY_MAX_CHARS = 500


class PreviewOnlyMarkdownxWidget(MarkdownxWidget):
    """markdownx's textarea and preview box, without its drop-to-upload.

    Photos come from the notes, not from uploads here; an empty upload path tells
    writeup.js (and anyone reading the page) that there is nowhere to upload to.
    """

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-markdownx-upload-urls-path"] = ""
        return context


class CoverChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, photo):
        return photo.caption or photo.session.title


class WriteUpForm(forms.ModelForm):
    intro = forms.CharField(
        label=_("Introduction"), required=False, max_length=TEXT_MAX_CHARS, strip=False
    )
    closing = forms.CharField(
        label=_("Closing"), required=False, max_length=TEXT_MAX_CHARS, strip=False
    )
    summary = forms.CharField(
        label=_("Summary"), required=False, max_length=SUMMARY_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or two sentences for the feed, search engines and link previews."),
    )  # fmt: skip

    class Meta:
        model = WriteUp
        fields = ["title", "summary", "cover_photo", "intro", "closing"]

    def __init__(self, *args, cover_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cover_photo"] = CoverChoiceField(
            queryset=cover_choices, required=False, blank=True, label=_("Cover photo"),
            empty_label=_("No cover photo"), widget=forms.RadioSelect,
        )  # fmt: skip
        for name, placeholder in (
            ("intro", _("Why you went, what you hoped for, what stood out. Markdown works.")),
            ("closing", _("What you take home, thanks, what next. Markdown works.")),
        ):
            self.fields[name].widget = PreviewOnlyMarkdownxWidget(
                attrs={"rows": 8, "spellcheck": "true", "placeholder": placeholder}
            )
