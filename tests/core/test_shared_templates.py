"""The shared pagination and field templates every list and form includes."""

from django import forms
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


def test_page_links_keep_the_filters_and_change_only_the_page():
    request = RequestFactory().get("/list/", {"status": "open", "q": "Kono & Kailahun", "page": "2"})
    page = Paginator(range(95), 30).get_page(2)
    html = render_to_string("_pagination.html", {"page": page, "request": request})
    assert 'href="?status=open&amp;q=Kono+%26+Kailahun&amp;page=1" rel="prev"' in html
    assert 'href="?status=open&amp;q=Kono+%26+Kailahun&amp;page=3" rel="next"' in html
    assert "Page 2 of 4" in html


def test_page_links_through_htmx_and_none_for_one_page():
    request = RequestFactory().get("/events/")
    page = Paginator(range(95), 30).get_page(1)
    html = render_to_string(
        "_pagination.html",
        {
            "page": page,
            "request": request,
            "path": "/m/",
            "fragment": "#events",
            "hx_path": "/m/events/",
            "hx_target": "#t",
        },
    )
    assert 'href="/m/?page=2#events" hx-get="/m/events/?page=2" hx-target="#t"' in html
    assert 'rel="prev"' not in html
    single = Paginator(range(5), 30).get_page(1)
    assert "pagination" not in render_to_string("_pagination.html", {"page": single, "request": request})


class SampleForm(forms.Form):
    name = forms.CharField(help_text="As on the ID card")
    token = forms.CharField(widget=forms.HiddenInput)


def test_a_field_shows_its_label_help_and_errors():
    form = SampleForm(data={"name": "", "token": "x"})
    assert not form.is_valid()
    html = render_to_string("_field.html", {"field": form["name"], "kind": "filter", "wide": "name"})
    assert 'class="filter filter-wide has-error" id="field-name"' in html
    assert '<label for="id_name">Name</label>' in html
    assert "As on the ID card" in html and '<span class="field-error">This field is required.</span>' in html
    hidden = render_to_string("_field.html", {"field": form["token"]})
    assert "<label" not in hidden and 'type="hidden"' in hidden
