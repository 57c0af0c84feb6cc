"""Uploads previewed and never stored do not live forever: the hourly sweep deletes every upload
(and its files) a day after it was made."""

import datetime as dt

import pytest
from django.utils import timezone

from finsam.celery import app
from outcomes.models import FileUpload, FileUploadPart
from outcomes.tasks import file_uploads_clean_task

pytestmark = pytest.mark.django_db


def upload_made(user, hours_ago: float, *, stored: bool = False) -> FileUpload:
    upload = FileUpload.objects.create(user=user)
    FileUploadPart.objects.create(upload=upload, position=0, name="mall.xlsx", content=b"PK\x03\x04 arbetsbok")
    made = timezone.now() - dt.timedelta(hours=hours_ago)
    FileUpload.objects.filter(pk=upload.pk).update(created_at=made, stored_at=made if stored else None)
    return upload


def test_the_sweep_deletes_uploads_older_than_a_day_with_their_files_and_keeps_the_newer(coordinator, staff):
    old_unsaved = upload_made(coordinator, 25)
    old_stored = upload_made(staff, 49, stored=True)
    recent = upload_made(coordinator, 23)
    assert file_uploads_clean_task.delay().get() == 2
    assert list(FileUpload.objects.values_list("pk", flat=True)) == [recent.pk]
    assert list(FileUploadPart.objects.values_list("upload_id", flat=True)) == [recent.pk]
    assert not FileUpload.objects.filter(pk__in=[old_unsaved.pk, old_stored.pk]).exists()
    # Nothing left to do: a second run deletes nothing.
    assert file_uploads_clean_task.delay().get() == 0


def test_a_swept_uploads_preview_is_gone_and_a_recent_one_still_shows(client, coordinator):
    old, recent = upload_made(coordinator, 30), upload_made(coordinator, 1)
    client.force_login(coordinator)
    file_uploads_clean_task.delay().get()
    assert client.get(f"/las-in/{old.pk}/").status_code == 404
    assert client.get(f"/las-in/{recent.pk}/").status_code == 200


def test_the_sweep_is_scheduled_hourly_by_beat():
    schedule = app.conf.beat_schedule["file-uploads-clean"]
    assert schedule["task"] == "outcomes.tasks.file_uploads_clean_task"
    assert schedule["schedule"].minute == {45} and len(schedule["schedule"].hour) == 24
