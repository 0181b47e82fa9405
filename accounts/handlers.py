from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.db.models.functions import Right

# What one pair's row keeps of the requests that failed: the last few, for whoever unlocks it.
KEPT_REQUEST_TEXT = 2000


class AxesHandler(AxesDatabaseHandler):
    """axes' database handler, with a bound on each pair's row.

    axes appends each failure's form fields (password masked) to the pair's row. Every attempt
    during a lock is counted too, and costs the attacker no password check, so unbounded the row
    would grow by each request and each UPDATE would rewrite all of it.
    """

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None:
            AccessAttempt.objects.filter(
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            ).update(
                get_data=Right("get_data", KEPT_REQUEST_TEXT),
                post_data=Right("post_data", KEPT_REQUEST_TEXT),
            )
