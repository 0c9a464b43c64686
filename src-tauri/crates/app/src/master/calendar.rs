//! The academic calendar: the institution's terms, kept by coordinators, from which a
//! change's effective term is chosen.

use credence_domain::calendar::{check_calendar, AcademicTerm};
use credence_domain::Id;
use credence_store::calendar as store;

use crate::kernel::{record, Need};
use crate::{AppError, Workspace};

type Result<T> = std::result::Result<T, AppError>;

impl Workspace {
    /// The terms, in date order.
    pub fn calendar(&self) -> Result<Vec<AcademicTerm>> {
        self.read(|c| Ok(store::terms(c)?))
    }

    /// Replaces the calendar with `terms` (coordinators): all checked first, each problem
    /// named `terms[i].field`; nothing changes unless every term holds. Audited, before and
    /// after.
    pub fn set_calendar(
        &self,
        by: Option<Id>,
        terms: &[AcademicTerm],
    ) -> Result<Vec<AcademicTerm>> {
        let valid = check_calendar(terms)?;
        self.write(by, Need::Coordinator, |tx, actor| {
            let before = store::terms(tx)?;
            store::set_terms(tx, &valid)?;
            record(
                tx,
                actor,
                "calendar",
                "1",
                "update",
                Some(&before),
                Some(&valid),
            )?;
            Ok(valid)
        })
    }

    /// Adds one term to the calendar (coordinators); its problems are named `term.field`.
    pub fn add_term(&self, by: Option<Id>, term: &AcademicTerm) -> Result<Vec<AcademicTerm>> {
        let mut terms = self.calendar()?;
        let at = terms.len();
        terms.push(term.clone());
        let prefix = format!("terms[{at}].");
        self.set_calendar(by, &terms).map_err(|e| {
            e.map_fields(|mut f| {
                if let Some(rest) = f.field.strip_prefix(&prefix) {
                    f.field = rest.to_string();
                }
                f
            })
        })
    }

    /// Removes the term with this code (coordinators).
    pub fn remove_term(&self, by: Option<Id>, code: &str) -> Result<Vec<AcademicTerm>> {
        let code = code.trim().to_uppercase();
        let terms = self.calendar()?;
        if !terms.iter().any(|t| t.code == code) {
            return Err(AppError::field(
                "code",
                format!("the calendar has no term {code}"),
            ));
        }
        let kept: Vec<AcademicTerm> = terms.into_iter().filter(|t| t.code != code).collect();
        self.set_calendar(by, &kept)
    }
}
