from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "评选命名"

    def ready(self) -> None:
        # Plans import nothing of campaigns: the plan file's reader, plan loading, editing a
        # running plan and the programme page learn of `campaigns:` here. Read after records'
        # sections (INSTALLED_APPS order), so a campaign may name a form of the plan.
        from campaigns.campaignfile import CampaignReader
        from campaigns.describe import programme_campaigns
        from campaigns.loader import indicator_uses, sync_campaigns
        from plans import extensions

        extensions.register_programme_section("campaigns", CampaignReader)
        extensions.after_plan_load(sync_campaigns)
        extensions.programme_panels_describer(programme_campaigns)
        extensions.indicator_uses_finder(indicator_uses)
