"""The console's forms, one module per topic like its views; this package names them all."""

from ratusz.platform.forms.billing import (
    BilledOutsideForm,
    ExtendTrialForm,
    GrantCreditForm,
    ManualInvoiceForm,
    PaymentForm,
)
from ratusz.platform.forms.cities import (
    AddDomainForm,
    AnnouncementForm,
    EntitlementsForm,
    FleetFilterForm,
    RenameForm,
    RestoreForm,
    SupportForm,
    VerifyDomainForm,
)
from ratusz.platform.forms.confirmation import (
    ConfirmForm,
)
from ratusz.platform.forms.onboarding import (
    RetireTemplateForm,
    SaveTemplateForm,
)
from ratusz.platform.forms.partners import (
    CommissionRateForm,
    InvitePartnerForm,
    MonthForm,
    PartnerOrganisationForm,
)

__all__ = [
    "AddDomainForm",
    "AnnouncementForm",
    "BilledOutsideForm",
    "CommissionRateForm",
    "ConfirmForm",
    "EntitlementsForm",
    "ExtendTrialForm",
    "FleetFilterForm",
    "GrantCreditForm",
    "InvitePartnerForm",
    "ManualInvoiceForm",
    "MonthForm",
    "PartnerOrganisationForm",
    "PaymentForm",
    "RenameForm",
    "RestoreForm",
    "RetireTemplateForm",
    "SaveTemplateForm",
    "SupportForm",
    "VerifyDomainForm",
]
