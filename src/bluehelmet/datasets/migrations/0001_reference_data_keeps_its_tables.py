"""Reference data moves here from incidents and forces (issue 14), keeping its tables.

Only Django's idea of the models moves: `state_operations` create them in `datasets`, with
`db_table` naming the tables they already had; `database_operations` is empty, so no table,
column, index or constraint is touched and every row stays where it is. incidents 0006 and
forces 0005 then drop the models from their own state, also without touching the database.

The content types of the six models are relabelled (incidents/forces -> datasets) rather
than created anew, so what points at them keeps pointing at the same rows: the history
(auditlog entries), links of lessons (performance.LessonLink) and permissions.
"""

import django.db.models.deletion
from django.db import migrations, models

MOVED = {
    "incidents": ("conflictevent", "conflictmonth"),
    "forces": ("deployment", "deploymentcontribution", "siteyear", "missionstrength"),
}


def _relabel(apps, moves):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old_label, new_label, model in moves:
        if ContentType.objects.filter(app_label=new_label, model=model).exists():
            continue  # already there (e.g. made by a run of post_migrate): keep it
        ContentType.objects.filter(app_label=old_label, model=model).update(app_label=new_label)


def content_types_to_datasets(apps, schema_editor):
    _relabel(apps, [(app, "datasets", model) for app, models_ in MOVED.items() for model in models_])


def content_types_back(apps, schema_editor):
    _relabel(apps, [("datasets", app, model) for app, models_ in MOVED.items() for model in models_])


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0008_sensitive_access_keeps_the_user_name'),
        # The models as they last were in their old apps: the state created here is theirs.
        ('forces', '0004_verbose_names'),
        ('incidents', '0005_derived_records_labels'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Deployment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('month', models.DateField(db_index=True, help_text='first day of the month', verbose_name='month')),
                        ('source', models.CharField(blank=True, max_length=100, verbose_name='source map')),
                        ('sequence', models.PositiveSmallIntegerField(default=1, verbose_name='sequence number')),
                        ('sharing', models.CharField(choices=[('public', 'Public / shared with partners'), ('mission', 'Mission staff only')], default='mission', max_length=10, verbose_name='sharing')),
                        ('troops', models.IntegerField(blank=True, help_text='empty = unknown', null=True, verbose_name='troops')),
                        ('contributor_count', models.IntegerField(blank=True, null=True, verbose_name='contributing countries')),
                        ('police', models.BooleanField(default=False, verbose_name='UN police present')),
                        ('observers', models.BooleanField(default=False, verbose_name='military observers present')),
                        ('headquarters', models.PositiveSmallIntegerField(blank=True, help_text='Geo-PKO HQ code: 0 none, 1 sector, 2 regional, 3 mission', null=True, verbose_name='headquarters level')),
                        ('liaison_office', models.BooleanField(default=False, verbose_name='liaison office')),
                        ('reserve_troops', models.IntegerField(blank=True, null=True, verbose_name='reserve troops')),
                        ('force_protection_troops', models.IntegerField(blank=True, null=True, verbose_name='force protection troops')),
                        ('comments', models.TextField(blank=True, verbose_name='comments')),
                        ('mission', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='deployments', to='core.mission', verbose_name='mission')),
                        ('site', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='deployments', to='core.place', verbose_name='site')),
                    ],
                    options={
                        'verbose_name': 'deployment',
                        'verbose_name_plural': 'deployments',
                        'db_table': 'forces_deployment',
                        'ordering': ['mission', 'month', 'site'],
                    },
                ),
                migrations.CreateModel(
                    name='DeploymentContribution',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('troops', models.IntegerField(blank=True, help_text='empty = unknown', null=True, verbose_name='troops')),
                        ('country', models.ForeignKey(limit_choices_to={'kind': 'member_state'}, on_delete=django.db.models.deletion.PROTECT, related_name='troop_contributions', to='core.organization', verbose_name='contributing country')),
                        ('deployment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='contributions', to='datasets.deployment', verbose_name='deployment')),
                    ],
                    options={
                        'verbose_name': 'troop contribution',
                        'verbose_name_plural': 'troop contributions',
                        'db_table': 'forces_deploymentcontribution',
                    },
                ),
                migrations.CreateModel(
                    name='MissionStrength',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('month', models.DateField(help_text='first day of the month', verbose_name='month')),
                        ('authorised_troops', models.IntegerField(blank=True, null=True, verbose_name='authorised troops')),
                        ('authorised_police', models.IntegerField(blank=True, null=True, verbose_name='authorised police')),
                        ('authorised_observers', models.IntegerField(blank=True, null=True, verbose_name='authorised observers')),
                        ('troops', models.IntegerField(blank=True, null=True, verbose_name='deployed troops')),
                        ('police', models.IntegerField(blank=True, null=True, verbose_name='deployed police')),
                        ('observers', models.IntegerField(blank=True, null=True, verbose_name='deployed observers')),
                        ('contributor_count', models.IntegerField(blank=True, null=True, verbose_name='contributing countries')),
                        ('mission', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='strengths', to='core.mission', verbose_name='mission')),
                    ],
                    options={
                        'verbose_name': 'mission strength',
                        'verbose_name_plural': 'mission strengths',
                        'db_table': 'forces_missionstrength',
                        'ordering': ['mission', 'month'],
                    },
                ),
                migrations.CreateModel(
                    name='SiteYear',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                        ('troops', models.IntegerField(blank=True, null=True, verbose_name='troops')),
                        ('average_troops', models.FloatField(blank=True, null=True, verbose_name='average troops')),
                        ('infantry', models.IntegerField(blank=True, null=True, verbose_name='infantry')),
                        ('reserve', models.IntegerField(blank=True, null=True, verbose_name='reserve')),
                        ('headquarters', models.IntegerField(blank=True, null=True, verbose_name='headquarters')),
                        ('police', models.IntegerField(blank=True, null=True, verbose_name='UN police')),
                        ('medical', models.IntegerField(blank=True, null=True, verbose_name='medical')),
                        ('aviation', models.IntegerField(blank=True, null=True, verbose_name='aviation')),
                        ('observers', models.IntegerField(blank=True, null=True, verbose_name='military observers')),
                        ('infantry_units', models.IntegerField(blank=True, null=True, verbose_name='infantry units')),
                        ('engineering_units', models.IntegerField(blank=True, null=True, verbose_name='engineering units')),
                        ('medical_units', models.IntegerField(blank=True, null=True, verbose_name='medical units')),
                        ('signals_units', models.IntegerField(blank=True, null=True, verbose_name='signals units')),
                        ('aviation_units', models.IntegerField(blank=True, null=True, verbose_name='aviation units')),
                        ('riverine_units', models.IntegerField(blank=True, null=True, verbose_name='riverine units')),
                        ('maintenance_units', models.IntegerField(blank=True, null=True, verbose_name='maintenance units')),
                        ('transport_units', models.IntegerField(blank=True, null=True, verbose_name='transport units')),
                        ('contributor_count', models.IntegerField(blank=True, null=True, verbose_name='contributing countries')),
                        ('contributors_overview', models.TextField(blank=True, verbose_name='contributors overview')),
                        ('mission', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='site_years', to='core.mission', verbose_name='mission')),
                        ('site', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='site_years', to='core.place', verbose_name='site')),
                    ],
                    options={
                        'verbose_name': 'site-year aggregate',
                        'verbose_name_plural': 'site-year aggregates',
                        'db_table': 'forces_siteyear',
                        'ordering': ['mission', 'year', 'site'],
                    },
                ),
                migrations.CreateModel(
                    name='ConflictEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('ged_id', models.BigIntegerField(blank=True, null=True, unique=True, verbose_name='GED id')),
                        ('dataset', models.CharField(default='UCDP GED', max_length=50, verbose_name='dataset')),
                        ('sharing', models.CharField(choices=[('public', 'Public / shared with partners'), ('mission', 'Mission staff only')], default='mission', max_length=10, verbose_name='sharing')),
                        ('relid', models.CharField(blank=True, max_length=50, verbose_name='UCDP release identifier')),
                        ('year', models.PositiveSmallIntegerField(db_index=True, verbose_name='year')),
                        ('active_year', models.BooleanField(default=False, verbose_name='active conflict year')),
                        ('code_status', models.CharField(blank=True, max_length=30, verbose_name='coding status')),
                        ('type_of_violence', models.PositiveSmallIntegerField(choices=[(1, 'State-based conflict'), (2, 'Non-state conflict'), (3, 'One-sided violence')], db_index=True, verbose_name='type of violence')),
                        ('conflict_dset_id', models.IntegerField(blank=True, null=True, verbose_name='conflict identifier (dataset)')),
                        ('conflict_new_id', models.IntegerField(blank=True, null=True, verbose_name='conflict identifier (new)')),
                        ('conflict_name', models.CharField(blank=True, max_length=300, verbose_name='conflict')),
                        ('dyad_dset_id', models.IntegerField(blank=True, null=True, verbose_name='dyad identifier (dataset)')),
                        ('dyad_new_id', models.IntegerField(blank=True, null=True, verbose_name='dyad identifier (new)')),
                        ('dyad_name', models.CharField(blank=True, max_length=300, verbose_name='dyad')),
                        ('side_a_dset_id', models.IntegerField(blank=True, null=True, verbose_name='side A identifier (dataset)')),
                        ('side_a_new_id', models.IntegerField(blank=True, null=True, verbose_name='side A identifier (new)')),
                        ('side_a_name', models.CharField(blank=True, max_length=300, verbose_name='side A')),
                        ('side_b_dset_id', models.IntegerField(blank=True, null=True, verbose_name='side B identifier (dataset)')),
                        ('side_b_new_id', models.IntegerField(blank=True, null=True, verbose_name='side B identifier (new)')),
                        ('side_b_name', models.CharField(blank=True, max_length=300, verbose_name='side B')),
                        ('number_of_sources', models.IntegerField(blank=True, null=True, verbose_name='number of sources')),
                        ('source_article', models.TextField(blank=True, verbose_name='source article')),
                        ('source_office', models.TextField(blank=True, verbose_name='source agency')),
                        ('source_date', models.TextField(blank=True, verbose_name='source date')),
                        ('source_headline', models.TextField(blank=True, verbose_name='source headline')),
                        ('source_original', models.TextField(blank=True, verbose_name='original source')),
                        ('where_prec', models.PositiveSmallIntegerField(blank=True, help_text='1 exact place ... 7 international waters', null=True, verbose_name='location precision')),
                        ('where_coordinates', models.CharField(blank=True, max_length=300, verbose_name='place of the coordinates')),
                        ('where_description', models.TextField(blank=True, verbose_name='place description')),
                        ('adm_1', models.CharField(blank=True, db_index=True, max_length=200, verbose_name='admin 1')),
                        ('adm_2', models.CharField(blank=True, max_length=200, verbose_name='admin 2')),
                        ('latitude', models.FloatField(verbose_name='latitude')),
                        ('longitude', models.FloatField(verbose_name='longitude')),
                        ('priogrid_gid', models.IntegerField(blank=True, db_index=True, null=True, verbose_name='PRIO-GRID cell')),
                        ('country_name', models.CharField(max_length=200, verbose_name='country')),
                        ('country_gwno', models.IntegerField(blank=True, help_text='GED column country_id', null=True, verbose_name='Gleditsch-Ward number')),
                        ('region', models.CharField(blank=True, max_length=100, verbose_name='region')),
                        ('event_clarity', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='event clarity')),
                        ('date_prec', models.PositiveSmallIntegerField(blank=True, help_text='1 exact day ... 5 more than a month', null=True, verbose_name='date precision')),
                        ('date_start', models.DateField(db_index=True, verbose_name='start date')),
                        ('date_end', models.DateField(verbose_name='end date')),
                        ('deaths_a', models.IntegerField(default=0, verbose_name='deaths on side A')),
                        ('deaths_b', models.IntegerField(default=0, verbose_name='deaths on side B')),
                        ('deaths_civilians', models.IntegerField(default=0, verbose_name='civilian deaths')),
                        ('deaths_unknown', models.IntegerField(default=0, verbose_name='deaths of unknown status')),
                        ('best', models.IntegerField(default=0, verbose_name='fatalities (best)')),
                        ('high', models.IntegerField(default=0, verbose_name='fatalities (high)')),
                        ('low', models.IntegerField(default=0, verbose_name='fatalities (low)')),
                        ('gwnoa', models.CharField(blank=True, max_length=100, verbose_name='Gleditsch-Ward number of side A')),
                        ('gwnob', models.CharField(blank=True, max_length=100, verbose_name='Gleditsch-Ward number of side B')),
                        ('country', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='conflict_events', to='core.place', verbose_name='country')),
                        ('side_a', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='events_as_side_a', to='core.organization', verbose_name='side A')),
                        ('side_b', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='events_as_side_b', to='core.organization', verbose_name='side B')),
                    ],
                    options={
                        'verbose_name': 'conflict event',
                        'verbose_name_plural': 'conflict events',
                        'db_table': 'incidents_conflictevent',
                        'ordering': ['-date_start', 'ged_id'],
                        'indexes': [models.Index(fields=['country', 'date_start'], name='incidents_c_country_453592_idx')],
                    },
                ),
                migrations.CreateModel(
                    name='ConflictMonth',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('conflict_id', models.IntegerField(verbose_name='conflict id')),
                        ('episode_id', models.IntegerField(blank=True, null=True, verbose_name='episode id')),
                        ('month', models.DateField(help_text='first day of the month', verbose_name='month')),
                        ('side_a', models.CharField(blank=True, max_length=200, verbose_name='side A')),
                        ('side_a_2nd', models.CharField(blank=True, max_length=200, verbose_name='secondary supporters of side A')),
                        ('side_b', models.CharField(blank=True, max_length=200, verbose_name='side B')),
                        ('side_b_2nd', models.CharField(blank=True, max_length=200, verbose_name='secondary supporters of side B')),
                        ('pko_present', models.BooleanField(blank=True, null=True, verbose_name='peacekeeping operation present')),
                        ('osv_all', models.FloatField(blank=True, null=True, verbose_name='civilians killed (all perpetrators)')),
                        ('osv_rebels', models.FloatField(blank=True, null=True, verbose_name='civilians killed by rebels')),
                        ('osv_government', models.FloatField(blank=True, null=True, verbose_name='civilians killed by government')),
                        ('troops_lag', models.FloatField(blank=True, null=True, verbose_name='UN troops last month (thousands)')),
                        ('police_lag', models.FloatField(blank=True, null=True, verbose_name='UN police last month (thousands)')),
                        ('observers_lag', models.FloatField(blank=True, null=True, verbose_name='UN observers last month (thousands)')),
                        ('battle_deaths_lag', models.FloatField(blank=True, null=True, verbose_name='battle deaths last month')),
                        ('ceasefire', models.BooleanField(blank=True, null=True, verbose_name='ceasefire in force')),
                        ('poc_mandate', models.BooleanField(blank=True, null=True, verbose_name='protection of civilians mandate')),
                        ('robust_mandate', models.BooleanField(blank=True, null=True, verbose_name='robust mandate')),
                        ('extra', models.JSONField(blank=True, default=dict, help_text="the source's other columns, as read", verbose_name='other columns')),
                        ('country', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='conflict_months', to='core.place', verbose_name='country')),
                        ('mission', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='conflict_months', to='core.mission', verbose_name='mission')),
                    ],
                    options={
                        'verbose_name': 'conflict month',
                        'verbose_name_plural': 'conflict months',
                        'db_table': 'incidents_conflictmonth',
                        'ordering': ['country', 'month'],
                        'constraints': [models.UniqueConstraint(fields=('conflict_id', 'month'), name='one_row_per_conflict_month')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='deployment',
                    constraint=models.UniqueConstraint(fields=('mission', 'site', 'month', 'source', 'sequence'), name='one_deployment_row'),
                ),
                migrations.AddConstraint(
                    model_name='deploymentcontribution',
                    constraint=models.UniqueConstraint(fields=('deployment', 'country'), name='one_contribution_per_country'),
                ),
                migrations.AddConstraint(
                    model_name='missionstrength',
                    constraint=models.UniqueConstraint(fields=('mission', 'month'), name='one_strength_per_month'),
                ),
                migrations.AddConstraint(
                    model_name='siteyear',
                    constraint=models.UniqueConstraint(fields=('mission', 'site', 'year'), name='one_site_year'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_datasets, content_types_back, elidable=False),
    ]
