"""Who may do what in the catalog: everyone signed in reads the stack; editors (and admins) write it.

Declared explicitly (they are the defaults) so that the policy matrix covers every catalog model.
"""

from stacksteward.core.policies import Policy, register

DATA_CATEGORIES = register(Policy("catalog.datacategory"))
CATEGORIES = register(Policy("catalog.category"))
VENDORS = register(Policy("catalog.vendor"))
COMPONENTS = register(Policy("catalog.component"))
RELATIONS = register(Policy("catalog.relation"))
RACI_ASSIGNMENTS = register(Policy("catalog.raciassignment"))
