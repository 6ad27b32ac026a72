-- The floor of a full rollup: one hand-written PostgreSQL statement that computes, from the raw
-- rows of one round (surveys, exclusions, deprivations, submissions), the totals the portal keeps
-- for every commune, every unit above it (materialized paths) and every unit group. It writes
-- nothing and reads no stored rollup: it is what the figures cost when PostgreSQL does all the
-- work in one pass. bench/rollup.py times it beside the portal's full recompute of the same round
-- and prints the ratio.
--
-- One parameter, %(round)s (psycopg2 style; the file holds no other percent sign). In psql:
--   sed 's/%(round)s/4/g' bench/floor.sql | psql -h 127.0.0.1 -U postgres <db>
--
-- The same definitions as indicators/rollups.py (and DOMAIN.md §5):
-- - units are those valid on the round's first day (ReviewRound.reference_date);
-- - an entry counts with its effective class (pending -> previous class), Survey.effective_class;
-- - last round's figures ("prev_") come from this round's rows: the previous class stored on each
--   survey that is not an arrival, and on each exclusion;
-- - deprivations are counted for surveyed poor and near-poor households;
-- - a unit or group counts each commune below it once.
WITH rnd AS (
    SELECT id, starts_on AS reference_date FROM households_reviewround WHERE id = %(round)s
),
units AS (
    SELECT u.id, u.path
    FROM areas_unit u, rnd
    WHERE u.valid_from <= rnd.reference_date
      AND (u.valid_to IS NULL OR u.valid_to >= rnd.reference_date)
),
s AS (
    SELECT
        commune_id,
        count(*) AS households,
        sum(member_count) AS persons,
        count(*) FILTER (WHERE effective_class = 'poor') AS poor,
        sum(member_count) FILTER (WHERE effective_class = 'poor') AS poor_persons,
        count(*) FILTER (WHERE effective_class = 'near_poor') AS near,
        sum(member_count) FILTER (WHERE effective_class = 'near_poor') AS near_persons,
        count(*) FILTER (WHERE effective_class = 'average') AS average,
        sum(member_count) FILTER (WHERE effective_class = 'average') AS average_persons,
        count(*) FILTER (WHERE is_ethnic_minority) AS em_households,
        count(*) FILTER (WHERE is_ethnic_minority AND effective_class = 'poor') AS em_poor,
        count(*) FILTER (WHERE is_ethnic_minority AND effective_class = 'near_poor') AS em_near,
        count(*) FILTER (WHERE arrival = '' AND previous_class <> '') AS prev_households,
        count(*) FILTER (WHERE arrival = '' AND previous_class = 'poor') AS prev_poor,
        count(*) FILTER (WHERE arrival = '' AND previous_class = 'near_poor') AS prev_near,
        count(*) FILTER (WHERE arrival = '' AND previous_class <> '' AND is_ethnic_minority)
            AS prev_em_households,
        count(*) FILTER (WHERE arrival = '' AND previous_class = 'poor' AND is_ethnic_minority)
            AS prev_em_poor,
        count(*) FILTER (WHERE status = 'pending') AS pending,
        count(*) FILTER (WHERE status = 'surveyed') AS surveyed,
        count(*) FILTER (WHERE status = 'carried_over') AS carried,
        count(*) FILTER (WHERE transition = 'poor_to_near_poor') AS t_poor_to_near_poor,
        count(*) FILTER (WHERE transition = 'poor_to_none') AS t_poor_to_none,
        count(*) FILTER (WHERE transition = 'near_poor_to_poor') AS t_near_poor_to_poor,
        count(*) FILTER (WHERE transition = 're_poor') AS t_re_poor,
        count(*) FILTER (WHERE transition = 'newly_poor') AS t_newly_poor,
        count(*) FILTER (WHERE transition = 'near_poor_to_none') AS t_near_poor_to_none,
        count(*) FILTER (WHERE transition = 're_near_poor') AS t_re_near_poor,
        count(*) FILTER (WHERE transition = 'newly_near_poor') AS t_newly_near_poor,
        count(*) FILTER (WHERE transition = 'other_increase_poor') AS t_other_increase_poor,
        count(*) FILTER (WHERE transition = 'other_decrease_poor') AS t_other_decrease_poor,
        count(*) FILTER (WHERE transition = 'other_increase_near_poor')
            AS t_other_increase_near_poor,
        count(*) FILTER (WHERE transition = 'other_decrease_near_poor')
            AS t_other_decrease_near_poor
    FROM households_survey
    WHERE round_id = %(round)s
    GROUP BY commune_id
),
x AS (
    SELECT
        e.commune_id,
        count(*) AS excluded,
        count(*) FILTER (WHERE e.previous_class <> '') AS prev_households,
        count(*) FILTER (WHERE e.previous_class = 'poor') AS prev_poor,
        count(*) FILTER (WHERE e.previous_class = 'near_poor') AS prev_near,
        count(*) FILTER (WHERE e.previous_class <> '' AND h.is_ethnic_minority)
            AS prev_em_households,
        count(*) FILTER (WHERE e.previous_class = 'poor' AND h.is_ethnic_minority) AS prev_em_poor,
        count(*) FILTER (WHERE e.transition = 'poor_to_near_poor') AS t_poor_to_near_poor,
        count(*) FILTER (WHERE e.transition = 'poor_to_none') AS t_poor_to_none,
        count(*) FILTER (WHERE e.transition = 'near_poor_to_poor') AS t_near_poor_to_poor,
        count(*) FILTER (WHERE e.transition = 're_poor') AS t_re_poor,
        count(*) FILTER (WHERE e.transition = 'newly_poor') AS t_newly_poor,
        count(*) FILTER (WHERE e.transition = 'near_poor_to_none') AS t_near_poor_to_none,
        count(*) FILTER (WHERE e.transition = 're_near_poor') AS t_re_near_poor,
        count(*) FILTER (WHERE e.transition = 'newly_near_poor') AS t_newly_near_poor,
        count(*) FILTER (WHERE e.transition = 'other_increase_poor') AS t_other_increase_poor,
        count(*) FILTER (WHERE e.transition = 'other_decrease_poor') AS t_other_decrease_poor,
        count(*) FILTER (WHERE e.transition = 'other_increase_near_poor')
            AS t_other_increase_near_poor,
        count(*) FILTER (WHERE e.transition = 'other_decrease_near_poor')
            AS t_other_decrease_near_poor
    FROM households_exclusion e
    JOIN households_household h ON h.id = e.household_id
    WHERE e.round_id = %(round)s
    GROUP BY e.commune_id
),
d AS (
    SELECT
        v.commune_id,
        count(*) FILTER (WHERE v.poverty_class = 'poor' AND d.indicator = 'employment')
            AS dep_poor_employment,
        count(*) FILTER (WHERE v.poverty_class = 'poor' AND d.indicator = 'dependents')
            AS dep_poor_dependents,
        count(*) FILTER (WHERE v.poverty_class = 'poor' AND d.indicator = 'nutrition')
            AS dep_poor_nutrition,
        count(*) FILTER (WHERE v.poverty_class = 'poor' AND d.indicator = 'health_insurance')
            AS dep_poor_health_insurance,
        count(*) FILTER (WHERE v.poverty_class = 'poor' AND d.indicator = 'adult_education')
            AS dep_poor_adult_education,
        count(*) FILTER (WHERE v.poverty_class = 'poor' AND d.indicator = 'child_schooling')
            AS dep_poor_child_schooling,
        count(*) FILTER (WHERE v.poverty_class = 'poor' AND d.indicator = 'housing_quality')
            AS dep_poor_housing_quality,
        count(*) FILTER (WHERE v.poverty_class = 'poor' AND d.indicator = 'floor_area')
            AS dep_poor_floor_area,
        count(*) FILTER (WHERE v.poverty_class = 'poor' AND d.indicator = 'water')
            AS dep_poor_water,
        count(*) FILTER (WHERE v.poverty_class = 'poor' AND d.indicator = 'latrine')
            AS dep_poor_latrine,
        count(*) FILTER (WHERE v.poverty_class = 'poor' AND d.indicator = 'telecom')
            AS dep_poor_telecom,
        count(*) FILTER (WHERE v.poverty_class = 'poor' AND d.indicator = 'info_assets')
            AS dep_poor_info_assets,
        count(*) FILTER (WHERE v.poverty_class = 'poor' AND d.indicator = 'digital_services')
            AS dep_poor_digital_services,
        count(*) FILTER (WHERE v.poverty_class = 'poor' AND d.indicator = 'waste')
            AS dep_poor_waste,
        count(*) FILTER (WHERE v.poverty_class = 'near_poor' AND d.indicator = 'employment')
            AS dep_near_employment,
        count(*) FILTER (WHERE v.poverty_class = 'near_poor' AND d.indicator = 'dependents')
            AS dep_near_dependents,
        count(*) FILTER (WHERE v.poverty_class = 'near_poor' AND d.indicator = 'nutrition')
            AS dep_near_nutrition,
        count(*) FILTER (WHERE v.poverty_class = 'near_poor' AND d.indicator = 'health_insurance')
            AS dep_near_health_insurance,
        count(*) FILTER (WHERE v.poverty_class = 'near_poor' AND d.indicator = 'adult_education')
            AS dep_near_adult_education,
        count(*) FILTER (WHERE v.poverty_class = 'near_poor' AND d.indicator = 'child_schooling')
            AS dep_near_child_schooling,
        count(*) FILTER (WHERE v.poverty_class = 'near_poor' AND d.indicator = 'housing_quality')
            AS dep_near_housing_quality,
        count(*) FILTER (WHERE v.poverty_class = 'near_poor' AND d.indicator = 'floor_area')
            AS dep_near_floor_area,
        count(*) FILTER (WHERE v.poverty_class = 'near_poor' AND d.indicator = 'water')
            AS dep_near_water,
        count(*) FILTER (WHERE v.poverty_class = 'near_poor' AND d.indicator = 'latrine')
            AS dep_near_latrine,
        count(*) FILTER (WHERE v.poverty_class = 'near_poor' AND d.indicator = 'telecom')
            AS dep_near_telecom,
        count(*) FILTER (WHERE v.poverty_class = 'near_poor' AND d.indicator = 'info_assets')
            AS dep_near_info_assets,
        count(*) FILTER (WHERE v.poverty_class = 'near_poor' AND d.indicator = 'digital_services')
            AS dep_near_digital_services,
        count(*) FILTER (WHERE v.poverty_class = 'near_poor' AND d.indicator = 'waste')
            AS dep_near_waste
    FROM households_surveydeprivation d
    JOIN households_survey v ON v.id = d.survey_id
    WHERE v.round_id = %(round)s
      AND v.status = 'surveyed'
      AND v.poverty_class IN ('poor', 'near_poor')
    GROUP BY v.commune_id
),
c AS (  -- one row per commune with entries or exclusions
    SELECT
        commune_id,
        coalesce(s.households, 0) AS households,
        coalesce(s.persons, 0) AS persons,
        coalesce(s.poor, 0) AS poor,
        coalesce(s.poor_persons, 0) AS poor_persons,
        coalesce(s.near, 0) AS near,
        coalesce(s.near_persons, 0) AS near_persons,
        coalesce(s.average, 0) AS average,
        coalesce(s.average_persons, 0) AS average_persons,
        coalesce(s.poor, 0) + coalesce(s.near, 0) AS poor_or_near,
        coalesce(s.em_households, 0) AS em_households,
        coalesce(s.em_poor, 0) AS em_poor,
        coalesce(s.em_near, 0) AS em_near,
        coalesce(s.prev_households, 0) + coalesce(x.prev_households, 0) AS prev_households,
        coalesce(s.prev_poor, 0) + coalesce(x.prev_poor, 0) AS prev_poor,
        coalesce(s.prev_near, 0) + coalesce(x.prev_near, 0) AS prev_near,
        coalesce(s.prev_poor, 0) + coalesce(x.prev_poor, 0)
            + coalesce(s.prev_near, 0) + coalesce(x.prev_near, 0) AS prev_poor_or_near,
        coalesce(s.prev_em_households, 0) + coalesce(x.prev_em_households, 0)
            AS prev_em_households,
        coalesce(s.prev_em_poor, 0) + coalesce(x.prev_em_poor, 0) AS prev_em_poor,
        coalesce(s.pending, 0) AS pending,
        coalesce(s.surveyed, 0) AS surveyed,
        coalesce(s.carried, 0) AS carried,
        coalesce(x.excluded, 0) AS excluded,
        1 AS communes,
        CASE WHEN commune_id IN (
            SELECT commune_id FROM households_communesubmission
            WHERE round_id = %(round)s AND status = 'accepted'
        ) THEN 1 ELSE 0 END AS accepted,
        coalesce(s.t_poor_to_near_poor, 0) + coalesce(x.t_poor_to_near_poor, 0)
            AS t_poor_to_near_poor,
        coalesce(s.t_poor_to_none, 0) + coalesce(x.t_poor_to_none, 0) AS t_poor_to_none,
        coalesce(s.t_near_poor_to_poor, 0) + coalesce(x.t_near_poor_to_poor, 0)
            AS t_near_poor_to_poor,
        coalesce(s.t_re_poor, 0) + coalesce(x.t_re_poor, 0) AS t_re_poor,
        coalesce(s.t_newly_poor, 0) + coalesce(x.t_newly_poor, 0) AS t_newly_poor,
        coalesce(s.t_near_poor_to_none, 0) + coalesce(x.t_near_poor_to_none, 0)
            AS t_near_poor_to_none,
        coalesce(s.t_re_near_poor, 0) + coalesce(x.t_re_near_poor, 0) AS t_re_near_poor,
        coalesce(s.t_newly_near_poor, 0) + coalesce(x.t_newly_near_poor, 0)
            AS t_newly_near_poor,
        coalesce(s.t_other_increase_poor, 0) + coalesce(x.t_other_increase_poor, 0)
            AS t_other_increase_poor,
        coalesce(s.t_other_decrease_poor, 0) + coalesce(x.t_other_decrease_poor, 0)
            AS t_other_decrease_poor,
        coalesce(s.t_other_increase_near_poor, 0) + coalesce(x.t_other_increase_near_poor, 0)
            AS t_other_increase_near_poor,
        coalesce(s.t_other_decrease_near_poor, 0) + coalesce(x.t_other_decrease_near_poor, 0)
            AS t_other_decrease_near_poor,
        coalesce(d.dep_poor_employment, 0) AS dep_poor_employment,
        coalesce(d.dep_poor_dependents, 0) AS dep_poor_dependents,
        coalesce(d.dep_poor_nutrition, 0) AS dep_poor_nutrition,
        coalesce(d.dep_poor_health_insurance, 0) AS dep_poor_health_insurance,
        coalesce(d.dep_poor_adult_education, 0) AS dep_poor_adult_education,
        coalesce(d.dep_poor_child_schooling, 0) AS dep_poor_child_schooling,
        coalesce(d.dep_poor_housing_quality, 0) AS dep_poor_housing_quality,
        coalesce(d.dep_poor_floor_area, 0) AS dep_poor_floor_area,
        coalesce(d.dep_poor_water, 0) AS dep_poor_water,
        coalesce(d.dep_poor_latrine, 0) AS dep_poor_latrine,
        coalesce(d.dep_poor_telecom, 0) AS dep_poor_telecom,
        coalesce(d.dep_poor_info_assets, 0) AS dep_poor_info_assets,
        coalesce(d.dep_poor_digital_services, 0) AS dep_poor_digital_services,
        coalesce(d.dep_poor_waste, 0) AS dep_poor_waste,
        coalesce(d.dep_near_employment, 0) AS dep_near_employment,
        coalesce(d.dep_near_dependents, 0) AS dep_near_dependents,
        coalesce(d.dep_near_nutrition, 0) AS dep_near_nutrition,
        coalesce(d.dep_near_health_insurance, 0) AS dep_near_health_insurance,
        coalesce(d.dep_near_adult_education, 0) AS dep_near_adult_education,
        coalesce(d.dep_near_child_schooling, 0) AS dep_near_child_schooling,
        coalesce(d.dep_near_housing_quality, 0) AS dep_near_housing_quality,
        coalesce(d.dep_near_floor_area, 0) AS dep_near_floor_area,
        coalesce(d.dep_near_water, 0) AS dep_near_water,
        coalesce(d.dep_near_latrine, 0) AS dep_near_latrine,
        coalesce(d.dep_near_telecom, 0) AS dep_near_telecom,
        coalesce(d.dep_near_info_assets, 0) AS dep_near_info_assets,
        coalesce(d.dep_near_digital_services, 0) AS dep_near_digital_services,
        coalesce(d.dep_near_waste, 0) AS dep_near_waste
    FROM s
    FULL JOIN x USING (commune_id)
    LEFT JOIN d USING (commune_id)
),
owners AS (  -- (owner, commune) pairs: each unit on the commune's path, each group holding it
    SELECT 'unit' AS kind, a.id AS owner_id, cu.id AS commune_id
    FROM units cu
    JOIN units a ON starts_with(cu.path, a.path)
    WHERE cu.id IN (SELECT commune_id FROM c)
    UNION
    SELECT 'group', gm.unitgroup_id, cu.id
    FROM units cu
    JOIN units m ON starts_with(cu.path, m.path)
    JOIN areas_unitgroup_members gm ON gm.unit_id = m.id
    WHERE cu.id IN (SELECT commune_id FROM c)
)
SELECT
    o.kind,
    o.owner_id,
    sum(households) AS households, sum(persons) AS persons, sum(poor) AS poor,
    sum(poor_persons) AS poor_persons, sum(near) AS near, sum(near_persons) AS near_persons,
    sum(average) AS average, sum(average_persons) AS average_persons,
    sum(poor_or_near) AS poor_or_near, sum(em_households) AS em_households,
    sum(em_poor) AS em_poor, sum(em_near) AS em_near, sum(prev_households) AS prev_households,
    sum(prev_poor) AS prev_poor, sum(prev_near) AS prev_near,
    sum(prev_poor_or_near) AS prev_poor_or_near, sum(prev_em_households) AS prev_em_households,
    sum(prev_em_poor) AS prev_em_poor, sum(pending) AS pending, sum(surveyed) AS surveyed,
    sum(carried) AS carried, sum(excluded) AS excluded, sum(communes) AS communes,
    sum(accepted) AS accepted,
    sum(t_poor_to_near_poor) AS t_poor_to_near_poor, sum(t_poor_to_none) AS t_poor_to_none,
    sum(t_near_poor_to_poor) AS t_near_poor_to_poor, sum(t_re_poor) AS t_re_poor,
    sum(t_newly_poor) AS t_newly_poor, sum(t_near_poor_to_none) AS t_near_poor_to_none,
    sum(t_re_near_poor) AS t_re_near_poor, sum(t_newly_near_poor) AS t_newly_near_poor,
    sum(t_other_increase_poor) AS t_other_increase_poor,
    sum(t_other_decrease_poor) AS t_other_decrease_poor,
    sum(t_other_increase_near_poor) AS t_other_increase_near_poor,
    sum(t_other_decrease_near_poor) AS t_other_decrease_near_poor,
    sum(dep_poor_employment) AS dep_poor_employment,
    sum(dep_poor_dependents) AS dep_poor_dependents,
    sum(dep_poor_nutrition) AS dep_poor_nutrition,
    sum(dep_poor_health_insurance) AS dep_poor_health_insurance,
    sum(dep_poor_adult_education) AS dep_poor_adult_education,
    sum(dep_poor_child_schooling) AS dep_poor_child_schooling,
    sum(dep_poor_housing_quality) AS dep_poor_housing_quality,
    sum(dep_poor_floor_area) AS dep_poor_floor_area, sum(dep_poor_water) AS dep_poor_water,
    sum(dep_poor_latrine) AS dep_poor_latrine, sum(dep_poor_telecom) AS dep_poor_telecom,
    sum(dep_poor_info_assets) AS dep_poor_info_assets,
    sum(dep_poor_digital_services) AS dep_poor_digital_services,
    sum(dep_poor_waste) AS dep_poor_waste,
    sum(dep_near_employment) AS dep_near_employment,
    sum(dep_near_dependents) AS dep_near_dependents,
    sum(dep_near_nutrition) AS dep_near_nutrition,
    sum(dep_near_health_insurance) AS dep_near_health_insurance,
    sum(dep_near_adult_education) AS dep_near_adult_education,
    sum(dep_near_child_schooling) AS dep_near_child_schooling,
    sum(dep_near_housing_quality) AS dep_near_housing_quality,
    sum(dep_near_floor_area) AS dep_near_floor_area, sum(dep_near_water) AS dep_near_water,
    sum(dep_near_latrine) AS dep_near_latrine, sum(dep_near_telecom) AS dep_near_telecom,
    sum(dep_near_info_assets) AS dep_near_info_assets,
    sum(dep_near_digital_services) AS dep_near_digital_services,
    sum(dep_near_waste) AS dep_near_waste
FROM owners o
JOIN c USING (commune_id)
GROUP BY o.kind, o.owner_id
ORDER BY o.kind, o.owner_id
