"""The Flask extensions, created unbound here and initialised by the app factory."""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
#: No default limits: only registration names one. Logins are throttled by diagnosis/web/auth/throttle.py
#: (counted in the database), not here.
limiter = Limiter(key_func=get_remote_address)
