import pytest

from notifications import services
from notifications.models import Kind, Notification
from tests.factories import ROLE_USERS, make_user


@pytest.fixture
def colleague(db):
    return make_user("colleague", role=ROLE_USERS["staff"], first_name="Борис", last_name="Сидоров")


@pytest.fixture
def tell():
    """Send one notification through the service and return the recipient's row."""

    def _tell(user, text="Идея №1 «Кулер»: новый статус.", url="/ideas/1/", kind=None):
        services.notification_send(
            recipients=[user], kind=kind or Kind.IDEA_STATUS, text=text, url=url
        )
        return Notification.objects.filter(recipient=user).latest("pk")

    return _tell
