//! The statuses of what a committee meeting holds, each a type with one transition function
//! (like `ProposalStatus::apply`): the meeting (scheduled, open once attendance is taken,
//! closed), each motion (open while votes are taken, then carried or failed) and each
//! condition of an approval (open, then met). Use cases ask these, never compare strings.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{DomainError, FieldError};

fn refuse<T>(field: &str, message: String) -> Result<T, DomainError> {
    Err(DomainError::Invalid(vec![FieldError::new(field, message)]))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MeetingStatus {
    Scheduled,
    /// Attendance taken (or an electronic vote running): motions and votes are recorded.
    Open,
    /// Nothing more is recorded at it.
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingEvent {
    /// Attendance is recorded: the meeting is under way.
    RecordAttendance,
    /// Its agenda, a motion or an item's outcome is recorded (the status stays).
    Record,
    Close,
}

impl MeetingStatus {
    pub fn apply(self, event: MeetingEvent) -> Result<MeetingStatus, DomainError> {
        use MeetingEvent as E;
        use MeetingStatus as S;
        match (self, event) {
            (S::Scheduled | S::Open, E::RecordAttendance) => Ok(S::Open),
            (S::Scheduled | S::Open, E::Record) => Ok(self),
            (S::Scheduled | S::Open, E::Close) => Ok(S::Closed),
            (S::Closed, _) => refuse(
                "meeting",
                "the meeting is closed; nothing more is recorded at it".into(),
            ),
        }
    }

    /// As stored.
    pub fn key(self) -> &'static str {
        match self {
            MeetingStatus::Scheduled => "scheduled",
            MeetingStatus::Open => "open",
            MeetingStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<MeetingStatus> {
        [
            MeetingStatus::Scheduled,
            MeetingStatus::Open,
            MeetingStatus::Closed,
        ]
        .into_iter()
        .find(|m| m.key() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MotionStatus {
    /// Votes are taken.
    Open,
    Carried,
    Failed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MotionEvent {
    /// A vote is cast (the status stays).
    Vote,
    /// Counted: carried or not.
    Close { carried: bool },
}

impl MotionStatus {
    pub fn apply(self, event: MotionEvent) -> Result<MotionStatus, DomainError> {
        use MotionEvent as E;
        use MotionStatus as S;
        match (self, event) {
            (S::Open, E::Vote) => Ok(S::Open),
            (S::Open, E::Close { carried: true }) => Ok(S::Carried),
            (S::Open, E::Close { carried: false }) => Ok(S::Failed),
            (s, E::Vote) => refuse(
                "motion",
                format!(
                    "the motion is closed ({}); votes are no longer taken",
                    s.key()
                ),
            ),
            (_, E::Close { .. }) => refuse("motion", "the motion is already closed".into()),
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            MotionStatus::Open => "open",
            MotionStatus::Carried => "carried",
            MotionStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<MotionStatus> {
        [
            MotionStatus::Open,
            MotionStatus::Carried,
            MotionStatus::Failed,
        ]
        .into_iter()
        .find(|m| m.key() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ConditionStatus {
    Open,
    Met,
}

impl ConditionStatus {
    /// Met, from open; a met condition is not met again.
    pub fn meet(self) -> Result<ConditionStatus, DomainError> {
        match self {
            ConditionStatus::Open => Ok(ConditionStatus::Met),
            ConditionStatus::Met => refuse("condition", "this condition is already met".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(r: Result<impl std::fmt::Debug, DomainError>) -> String {
        match r {
            Err(DomainError::Invalid(f)) => f[0].field.clone(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_meeting_opens_with_its_attendance_and_records_nothing_once_closed() {
        use MeetingEvent as E;
        use MeetingStatus as S;
        assert_eq!(S::Scheduled.apply(E::RecordAttendance).unwrap(), S::Open);
        assert_eq!(S::Open.apply(E::RecordAttendance).unwrap(), S::Open);
        assert_eq!(S::Scheduled.apply(E::Record).unwrap(), S::Scheduled);
        assert_eq!(S::Open.apply(E::Record).unwrap(), S::Open);
        assert_eq!(S::Scheduled.apply(E::Close).unwrap(), S::Closed);
        assert_eq!(S::Open.apply(E::Close).unwrap(), S::Closed);
        for e in [E::RecordAttendance, E::Record, E::Close] {
            assert_eq!(field(S::Closed.apply(e)), "meeting");
        }
        for s in [S::Scheduled, S::Open, S::Closed] {
            assert_eq!(S::parse(s.key()), Some(s));
        }
    }

    #[test]
    fn a_motion_takes_votes_while_open_and_closes_once() {
        use MotionEvent as E;
        use MotionStatus as S;
        assert_eq!(S::Open.apply(E::Vote).unwrap(), S::Open);
        assert_eq!(
            S::Open.apply(E::Close { carried: true }).unwrap(),
            S::Carried
        );
        assert_eq!(
            S::Open.apply(E::Close { carried: false }).unwrap(),
            S::Failed
        );
        for s in [S::Carried, S::Failed] {
            assert_eq!(field(s.apply(E::Vote)), "motion");
            assert_eq!(field(s.apply(E::Close { carried: true })), "motion");
            assert_eq!(S::parse(s.key()), Some(s));
        }
    }

    #[test]
    fn a_condition_is_met_once() {
        assert_eq!(ConditionStatus::Open.meet().unwrap(), ConditionStatus::Met);
        assert_eq!(field(ConditionStatus::Met.meet()), "condition");
    }
}
