"""A value score recorded by a system actor (an import, the demo) names its scorer; users score as themselves."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stacksteward.catalog.tests.factories import ComponentFactory
from stacksteward.core.actors import SystemActor
from stacksteward.core.roles import set_role
from stacksteward.finance import services
from stacksteward.finance.models import ValueScore
from stacksteward.org.tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_value_score_system_actor_names_the_business_owner_as_scorer():
    owner = PersonFactory()
    component = ComponentFactory(business_owner=owner)

    score = services.value_score_record(actor=SystemActor.demo(), component=component, year=2027, score=4,
                                        reasons="Used every day.", scorer=owner, source="system")

    assert ValueScore.objects.get() == score and score.scorer == owner


def test_value_score_system_actor_without_scorer_is_refused():
    with pytest.raises(ValidationError, match="not linked to a person"):
        services.value_score_record(actor=SystemActor.demo(), component=ComponentFactory(), year=2027, score=4,
                                    reasons="x")


def test_value_score_user_cannot_name_someone_else_as_scorer():
    user = UserFactory(username="mia")
    set_role(user, "editor")
    mia = PersonFactory(user=user)
    other = PersonFactory()
    component = ComponentFactory(business_owner=other)

    with pytest.raises(PermissionDenied):
        services.value_score_record(actor=user, component=component, year=2027, score=2, reasons="x", scorer=other)

    assert not ValueScore.objects.exists()
    component.business_owner = mia
    component.save()
    assert services.value_score_record(actor=user, component=component, year=2027, score=3, reasons="ok",
                                       scorer=mia).scorer == mia
