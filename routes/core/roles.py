"""Account roles, least to most rights, and the roles each kind of work needs (docs/accounts.md has the table).

Kept apart from the store and the sign-in rules so that the command line's parser and the page menu can name roles
without loading the database layer.
"""

ORGANISER_ROLE, EDITOR_ROLE, ADMIN_ROLE = "organiser", "editor", "admin"
#: Every role an account may have, least to most rights.
ROLES = (ORGANISER_ROLE, EDITOR_ROLE, ADMIN_ROLE)
#: Roles that may sign in at all.
SIGNIN_ROLES = ROLES
#: Open the race planner, save and reopen race plans.
RACE_PLAN_ROLES = (ORGANISER_ROLE, EDITOR_ROLE, ADMIN_ROLE)
#: Publish and unpublish a race plan's public page and closure notice: the race's organisers (and admins), not the
#: route editors, decide when a race is announced.
RACE_PUBLISH_ROLES = (ORGANISER_ROLE, ADMIN_ROLE)
#: Edit routes and POIs, publish and unpublish.
EDITOR_ROLES = (EDITOR_ROLE, ADMIN_ROLE)
#: Manage accounts.
ACCOUNT_ROLES = (ADMIN_ROLE,)
