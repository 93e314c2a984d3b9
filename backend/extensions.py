"""Extension objects, constructed here and initialised in create_app."""

from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_smorest.error_handler import ErrorSchema
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from marshmallow import fields

from backend.db import Base
from backend.security import is_not_an_api_write, rate_limits_off, writes_limit

db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True)


class ErrorOut(ErrorSchema):
    # Every error envelope carries the request id so a report can be traced in the logs.
    request_id = fields.String()


class LimberApi(Api):
    ERROR_SCHEMA = ErrorOut


api = LimberApi()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(
    key_func=get_remote_address,
    application_limits=[writes_limit],
    application_limits_exempt_when=is_not_an_api_write,
)
limiter.request_filter(rate_limits_off)
# Every limit sits on a write: reads and the front end's files skip the limiter altogether.
limiter.request_filter(is_not_an_api_write)
compress = Compress()
