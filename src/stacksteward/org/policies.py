"""Who may do what in the organisation: departments and people follow the default roles
(everyone signed in reads, editors write); API tokens are their owner's, and every token is
an admin's to see and revoke."""

from stacksteward.core.policies import ADMIN, SIGNED_IN, Policy, register, user_is

OWN_TOKEN = ADMIN | user_is("user", name="own token")

DEPARTMENTS = register(Policy("org.department"))
PEOPLE = register(Policy("org.person"))
# Any signed-in user may create a token for themselves; the service checks for whom.
API_TOKENS = register(Policy("org.apitoken", view=OWN_TOKEN, add=SIGNED_IN, change=OWN_TOKEN, delete=OWN_TOKEN,
                             audit=ADMIN))
