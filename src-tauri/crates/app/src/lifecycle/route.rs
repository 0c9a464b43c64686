//! Review routes as shipped, and a case entering its route: the route `choose_route` picks
//! for its content and kind, from its first step, each step due after its service days.

use credence_domain::case::RouteCase;
use credence_domain::person::Role;
use credence_domain::review::{
    self, Participation, Route, RouteCondition, RouteStep, StepActors, StepKind,
};
use credence_domain::Id;
use credence_store::review as store;
use credence_store::sql::Sql;

use crate::kernel::clock::{add_days, now, today};
use crate::kernel::refuse;
use crate::proposals::load;
use crate::AppError;

type Result<T> = std::result::Result<T, AppError>;

/// The routes a workspace starts with (PROCESS.md): credit-bearing proposals go through the
/// unit head, the dean, the committee's vote and a final sign-off; the rest through the
/// unit head and the committee as an information item. A minor change is a coordinator's
/// approval reported to the committee; a termination goes to the unit head and the vote; a
/// major change takes the route its content picks.
pub fn shipped_routes() -> Vec<Route> {
    let sign_off = |name: &str, actors, days| RouteStep {
        name: name.into(),
        kind: StepKind::SignOff {
            actors,
            participation: Participation::One,
        },
        service_days: days,
    };
    vec![
        Route {
            id: 0,
            name: "Credit-bearing".into(),
            position: 1,
            when: RouteCondition {
                credit_status: Some("credit".into()),
                ..Default::default()
            },
            steps: vec![
                sign_off("Unit head", StepActors::UnitApprover, 14),
                sign_off("Dean", StepActors::ParentUnitApprover, 14),
                RouteStep {
                    name: "Committee".into(),
                    kind: StepKind::Committee {
                        information_only: false,
                    },
                    service_days: 45,
                },
                sign_off(
                    "Final sign-off",
                    StepActors::Role {
                        role: Role::FinalApprover,
                    },
                    14,
                ),
            ],
        },
        Route {
            id: 0,
            name: "Minor change".into(),
            position: 0,
            when: RouteCondition {
                case: Some(RouteCase::MinorChange),
                ..Default::default()
            },
            steps: vec![
                sign_off(
                    "Coordinator approval",
                    StepActors::Role {
                        role: Role::Coordinator,
                    },
                    7,
                ),
                RouteStep {
                    name: "Committee (information item)".into(),
                    kind: StepKind::Committee {
                        information_only: true,
                    },
                    service_days: 45,
                },
            ],
        },
        Route {
            id: 0,
            name: "Termination".into(),
            position: 0,
            when: RouteCondition {
                case: Some(RouteCase::Termination),
                ..Default::default()
            },
            steps: vec![
                sign_off("Unit head", StepActors::UnitApprover, 14),
                RouteStep {
                    name: "Committee".into(),
                    kind: StepKind::Committee {
                        information_only: false,
                    },
                    service_days: 45,
                },
            ],
        },
        Route {
            id: 0,
            name: "Non-credit".into(),
            position: 2,
            when: RouteCondition::default(),
            steps: vec![
                sign_off("Unit head", StepActors::UnitApprover, 14),
                RouteStep {
                    name: "Committee (information item)".into(),
                    kind: StepKind::Committee {
                        information_only: true,
                    },
                    service_days: 45,
                },
            ],
        },
    ]
}

pub(crate) fn ensure_routes(tx: &dyn Sql) -> Result<Vec<Route>> {
    let routes = store::routes(tx)?;
    if !routes.is_empty() {
        return Ok(routes);
    }
    for r in shipped_routes() {
        store::put_route(tx, &r)?;
    }
    Ok(store::routes(tx)?)
}

/// Starts a proposal's route at its first step (when it is accepted as complete).
pub(crate) fn enter_route(tx: &dyn Sql, proposal: Id) -> Result<()> {
    let routes = ensure_routes(tx)?;
    let p = load(tx, proposal)?;
    let case = super::route_case(tx, &p)?;
    let route = review::choose_route(&routes, &p.content, case).ok_or_else(|| {
        refuse(
            "route",
            "no review route applies to this proposal; add one in Settings > Routes",
        )
    })?;
    enter(tx, proposal, route, 0)
}

pub(crate) fn enter(tx: &dyn Sql, proposal: Id, route: &Route, index: usize) -> Result<()> {
    let Some(step) = route.steps.get(index) else {
        return Ok(());
    };
    let day = today();
    store::enter_step(
        tx,
        &store::StepRow {
            id: 0,
            proposal_id: proposal,
            route_id: route.id,
            step_index: index,
            name: step.name.clone(),
            entered_at: now(),
            due_on: add_days(&day, step.service_days),
            left_at: None,
            outcome: None,
        },
    )?;
    Ok(())
}
