"""Imports every model module so that `Base.metadata` describes the whole schema.

Alembic's env and the drift test import this module; application code imports the model
modules it needs directly.
"""

from ncen import audit, history  # noqa: F401
from ncen.accounts import models as accounts_models  # noqa: F401
from ncen.analysis import centralitymodels as analysis_centralitymodels  # noqa: F401
from ncen.analysis import chartmodels as analysis_chartmodels  # noqa: F401
from ncen.analysis import models as analysis_models  # noqa: F401
from ncen.apitokens import models as apitokens_models  # noqa: F401
from ncen.companies import models as companies_models  # noqa: F401
from ncen.conveyances import models as conveyances_models  # noqa: F401
from ncen.db import Base
from ncen.imports import models as imports_models  # noqa: F401
from ncen.investigations import models as investigations_models  # noqa: F401
from ncen.merging import models as merging_models  # noqa: F401
from ncen.persons import models as persons_models  # noqa: F401
from ncen.pictures import models as pictures_models  # noqa: F401
from ncen.reference import models as reference_models  # noqa: F401
from ncen.retention import models as retention_models  # noqa: F401
from ncen.search import models as search_models  # noqa: F401
from ncen.search import saved as search_saved  # noqa: F401
from ncen.seizures import models as seizures_models  # noqa: F401
from ncen.targeting import models as targeting_models  # noqa: F401
from ncen.watch import models as watch_models  # noqa: F401

metadata = Base.metadata
