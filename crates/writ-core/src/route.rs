//! Routes, weakest first.

use serde::{Deserialize, Serialize};

/// What happens to an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// Release the action.
    Allow,
    /// Release it, and say why it deserves a look.
    Warn,
    /// Do not release until a dry run of the same change has succeeded.
    SimulateFirst,
    /// Do not release until a valid approval covers it.
    RequireApproval,
    /// Never release it.
    Block,
}

impl Route {
    pub const ALL: [Route; 5] = [
        Route::Allow,
        Route::Warn,
        Route::SimulateFirst,
        Route::RequireApproval,
        Route::Block,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Route::Allow => "allow",
            Route::Warn => "warn",
            Route::SimulateFirst => "simulate_first",
            Route::RequireApproval => "require_approval",
            Route::Block => "block",
        }
    }

    pub fn parse(name: &str) -> Option<Route> {
        Route::ALL.into_iter().find(|r| r.as_str() == name)
    }

    /// True when the action is released as it is.
    pub fn releases(self) -> bool {
        matches!(self, Route::Allow | Route::Warn)
    }
}
