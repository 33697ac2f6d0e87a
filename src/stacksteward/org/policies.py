"""Who may do what in the organisation: departments and people follow the default roles
(everyone signed in reads, editors write); API tokens are their owner's, and every token is
an admin's to see and revoke."""

from stacksteward.core.policies import ADMIN, EDITOR, SIGNED_IN, Policy, register, user_is

OWN_TOKEN = ADMIN | user_is("user", name="own token")

DEPARTMENTS = register(Policy("org.department"))
# Everyone chooses the time zone their own dates and times are shown in; editors set anyone's.
PEOPLE = register(Policy("org.person", actions={"set_time_zone": EDITOR | user_is("user", name="own person")}))
# Any signed-in user may create a token for themselves; the service checks for whom.
API_TOKENS = register(Policy("org.apitoken", view=OWN_TOKEN, add=SIGNED_IN, change=OWN_TOKEN, delete=OWN_TOKEN,
                             audit=ADMIN))
