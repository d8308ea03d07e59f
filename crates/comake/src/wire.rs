//! Every name of the Comake OPEN API that the public guide does not state: paths, JSON fields, status strings.
//!
//! `../shared/comake-api.md` marks these as assumptions (A). Both the client and
//! the simulator speak through this module only, so aligning the bot with
//! Comake's real reference is a change to this one file.

use std::fmt;

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize, Serializer};

/// One operation of the API: its method, path and whether resending it is safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    LoginAdmin,
    RegisterClient,
    LoginClient,
    ListContracts,
    GetContract,
    RenameContract,
    DeleteContract,
    SetSignees,
    RequestSign,
    CancelSign,
}

impl Endpoint {
    pub const ALL: [Endpoint; 10] = [
        Endpoint::LoginAdmin,
        Endpoint::RegisterClient,
        Endpoint::LoginClient,
        Endpoint::ListContracts,
        Endpoint::GetContract,
        Endpoint::RenameContract,
        Endpoint::DeleteContract,
        Endpoint::SetSignees,
        Endpoint::RequestSign,
        Endpoint::CancelSign,
    ];

    /// A short, stable name for logs and metrics.
    pub fn name(self) -> &'static str {
        match self {
            Endpoint::LoginAdmin => "login_admin",
            Endpoint::RegisterClient => "register_client",
            Endpoint::LoginClient => "login_client",
            Endpoint::ListContracts => "list_contracts",
            Endpoint::GetContract => "get_contract",
            Endpoint::RenameContract => "rename_contract",
            Endpoint::DeleteContract => "delete_contract",
            Endpoint::SetSignees => "set_signees",
            Endpoint::RequestSign => "request_sign",
            Endpoint::CancelSign => "cancel_sign",
        }
    }

    pub fn method(self) -> reqwest::Method {
        use reqwest::Method;
        match self {
            Endpoint::ListContracts | Endpoint::GetContract => Method::GET,
            Endpoint::RenameContract => Method::PATCH,
            Endpoint::DeleteContract => Method::DELETE,
            _ => Method::POST,
        }
    }

    /// Path segments below the API base; `id` fills the contract-id segment.
    pub fn segments(self, id: &str) -> Vec<&str> {
        match self {
            Endpoint::LoginAdmin => vec!["bussiness", "login-admin"],
            Endpoint::RegisterClient => vec!["bussiness", "register-client"],
            Endpoint::LoginClient => vec!["bussiness", "login-client"],
            Endpoint::ListContracts => vec!["contractbox", "contracts"],
            Endpoint::GetContract | Endpoint::RenameContract | Endpoint::DeleteContract => {
                vec!["contractbox", "contracts", id]
            }
            Endpoint::SetSignees => vec!["contract", "pre-signee-set"],
            Endpoint::RequestSign => vec!["contract", "request-sign"],
            Endpoint::CancelSign => vec!["contract", "cancel-sign"],
        }
    }

    /// Whether sending the request twice has the same effect as sending it
    /// once. Logins only mint a token, so they count as idempotent although
    /// they are POSTs.
    /// Whether the path has a contract-id segment (always the last one).
    pub fn has_id(self) -> bool {
        matches!(
            self,
            Endpoint::GetContract | Endpoint::RenameContract | Endpoint::DeleteContract
        )
    }

    /// The endpoint a request is for, from its method and the path segments
    /// below the API base.
    pub fn recognize(method: &str, segments: &[&str]) -> Option<Endpoint> {
        Self::ALL.into_iter().find(|ep| {
            let want = ep.segments("");
            ep.method().as_str() == method
                && want.len() == segments.len()
                && want
                    .iter()
                    .zip(segments)
                    .enumerate()
                    .all(|(i, (w, s))| (ep.has_id() && i == want.len() - 1) || w == s)
        })
    }

    /// Whether the request changes anything at Comake.
    pub fn is_write(self) -> bool {
        matches!(
            self,
            Endpoint::RegisterClient
                | Endpoint::RenameContract
                | Endpoint::DeleteContract
                | Endpoint::SetSignees
                | Endpoint::RequestSign
                | Endpoint::CancelSign
        )
    }

    /// The endpoint of a [`name`](Self::name).
    pub fn from_name(name: &str) -> Option<Endpoint> {
        Self::ALL.into_iter().find(|e| e.name() == name)
    }

    pub fn idempotent(self) -> bool {
        matches!(
            self,
            Endpoint::LoginAdmin
                | Endpoint::LoginClient
                | Endpoint::ListContracts
                | Endpoint::GetContract
                | Endpoint::DeleteContract
        )
    }
}

/// Web pages (F): the upload page, and its query parameters.
pub const UPLOAD_PAGE: [&str; 2] = ["contract", "upload"];
pub const UPLOAD_TOKEN_PARAM: &str = "token";
pub const UPLOAD_CONTRACT_PARAM: &str = "contractId";

/// Query parameters of the contract list.
pub const LIST_STATUS_PARAM: &str = "status";
pub const LIST_PAGE_PARAM: &str = "page";
pub const LIST_LIMIT_PARAM: &str = "limit";
pub const LIST_MAX_LIMIT: u32 = 100;

/// An opaque contract id (in practice a MongoDB ObjectId).
/// Checked when it arrives from Comake too: an id that could not fit a
/// Discord button's custom id (or a URL path) fails the response.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ContractId(String);

/// Whether `DELETE /contractbox/contracts/{id}` moves the contract to the
/// web app's trash, from which it can be restored. (A) The guide says only
/// "delete"; until the reference says "trash", people are told a deletion
/// cannot be undone from Discord.
pub const DELETE_MOVES_TO_TRASH: bool = false;

impl TryFrom<String> for ContractId {
    type Error = String;

    fn try_from(raw: String) -> Result<Self, String> {
        Self::parse(&raw).ok_or_else(|| {
            format!(
                "a contract id of {} characters that is not 1 to {} ASCII letters, digits, - or _",
                raw.chars().count(),
                Self::MAX_LEN
            )
        })
    }
}

impl From<ContractId> for String {
    fn from(id: ContractId) -> String {
        id.0
    }
}

impl ContractId {
    /// Longest id accepted from anyone.
    pub const MAX_LEN: usize = 64;

    /// Accepts what could be a Comake id: 1 to 64 ASCII letters, digits, `-`
    /// or `_`. Anything else (user text, control characters, slashes) is
    /// refused before it can reach a path.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        let ok = !raw.is_empty()
            && raw.len() <= Self::MAX_LEN
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        ok.then(|| Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ContractId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for ContractId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ContractId({})", self.0)
    }
}

/// A Comake user's id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClientId(pub String);

impl fmt::Display for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The nine contract states of the guide, plus whatever Comake adds later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContractStatus {
    Saved,
    Approving,
    ApprovalCancelled,
    ApprovalRejected,
    Approved,
    Signing,
    SignCancelled,
    SignRejected,
    Completed,
    /// A state this version does not know: nothing is allowed on it.
    #[serde(other)]
    Unknown,
}

impl ContractStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ContractStatus::Saved => "saved",
            ContractStatus::Approving => "approving",
            ContractStatus::ApprovalCancelled => "approval_cancelled",
            ContractStatus::ApprovalRejected => "approval_rejected",
            ContractStatus::Approved => "approved",
            ContractStatus::Signing => "signing",
            ContractStatus::SignCancelled => "sign_cancelled",
            ContractStatus::SignRejected => "sign_rejected",
            ContractStatus::Completed => "completed",
            ContractStatus::Unknown => "unknown",
        }
    }

    /// The contract-box tab the state is listed under.
    pub fn tab(self) -> BoxTab {
        match self {
            ContractStatus::Saved
            | ContractStatus::Approving
            | ContractStatus::ApprovalCancelled
            | ContractStatus::ApprovalRejected
            | ContractStatus::Approved => BoxTab::Preparing,
            ContractStatus::Signing => BoxTab::Signing,
            ContractStatus::SignCancelled | ContractStatus::SignRejected => BoxTab::Stopped,
            ContractStatus::Completed => BoxTab::Completed,
            ContractStatus::Unknown => BoxTab::All,
        }
    }

    /// Whether the document and fields can be changed on the upload page.
    pub fn can_edit(self) -> bool {
        matches!(
            self,
            ContractStatus::Saved
                | ContractStatus::ApprovalCancelled
                | ContractStatus::ApprovalRejected
                | ContractStatus::SignCancelled
                | ContractStatus::SignRejected
        )
    }

    /// Whether signees can be set and signatures requested.
    pub fn can_request_sign(self) -> bool {
        matches!(
            self,
            ContractStatus::Saved
                | ContractStatus::ApprovalCancelled
                | ContractStatus::Approved
                | ContractStatus::SignCancelled
                | ContractStatus::SignRejected
        )
    }

    pub fn can_cancel_sign(self) -> bool {
        self == ContractStatus::Signing
    }

    /// Whether a contract in this state can still move without its sender
    /// doing anything: out for signature, or in approval.
    pub fn is_moving(self) -> bool {
        matches!(self, ContractStatus::Signing | ContractStatus::Approving)
    }

    /// Whether it has ended: completed, or its signing stopped (withdrawn
    /// or declined). Nothing about it moves any more.
    pub fn has_ended(self) -> bool {
        matches!(
            self,
            ContractStatus::Completed
                | ContractStatus::SignCancelled
                | ContractStatus::SignRejected
        )
    }

    /// Whether the contract's details tell its sender more than its list
    /// entry does: who signed while it is out for signature, and the
    /// approver's reason once approval was rejected.
    pub fn details_tell_more(self) -> bool {
        matches!(
            self,
            ContractStatus::Signing | ContractStatus::ApprovalRejected
        )
    }

    pub fn can_delete(self) -> bool {
        !matches!(
            self,
            ContractStatus::Approving | ContractStatus::Signing | ContractStatus::Unknown
        )
    }
}

/// The five tabs of the contract box, used to filter the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BoxTab {
    #[default]
    All,
    Preparing,
    Signing,
    Completed,
    Stopped,
}

impl BoxTab {
    pub const ALL: [BoxTab; 5] = [
        BoxTab::All,
        BoxTab::Preparing,
        BoxTab::Signing,
        BoxTab::Completed,
        BoxTab::Stopped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BoxTab::All => "all",
            BoxTab::Preparing => "preparing",
            BoxTab::Signing => "signing",
            BoxTab::Completed => "completed",
            BoxTab::Stopped => "stopped",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == raw)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Sender,
    Receiver,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SigneeStatus {
    Waiting,
    Viewed,
    Signed,
    Rejected,
    #[serde(other)]
    Unknown,
}

/// A Comake user of this company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Client {
    #[serde(rename = "_id")]
    pub id: ClientId,
    pub email: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContractSummary {
    #[serde(rename = "_id")]
    pub id: ContractId,
    pub name: String,
    pub status: ContractStatus,
    #[serde(default)]
    pub status_text: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// (A) `myTurn`: the person must sign or approve next (the guide's
    /// "내 차례" list). Absent (`None`): Comake does not say, and nothing is
    /// assumed about turns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub my_turn: Option<bool>,
    /// (A) `requestType`, for a received contract: what is asked of the
    /// person, a signature or an approval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_type: Option<RequestType>,
}

/// (A) What a received contract asks of the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RequestType {
    Sign,
    Approval,
}

/// (A) One approver of the company's approval line (결재선).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approver {
    pub order: u32,
    pub name: String,
    pub email: String,
    pub status: ApproverStatus,
}

/// (A) The strings of an approver's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ApproverStatus {
    Waiting,
    Approved,
    Rejected,
    #[serde(other)]
    Unknown,
}

/// (A) The timeline's action names: the guide shows these events in a
/// contract's history, the strings are assumed. The simulator records the
/// same constants; a name not listed here is shown as "another change".
pub mod timeline {
    /// The contract was uploaded and saved.
    pub const CREATED: &str = "created";
    /// The sender set (or replaced) the signees.
    pub const SIGNEES_SET: &str = "signees_set";
    /// The sender asked the approval line for approval.
    pub const APPROVAL_REQUESTED: &str = "approval_requested";
    /// An approver approved (one step, or the last one).
    pub const APPROVED: &str = "approved";
    /// An approver rejected; the message holds the reason.
    pub const APPROVAL_REJECTED: &str = "approval_rejected";
    /// The sender withdrew the approval request.
    pub const APPROVAL_CANCELLED: &str = "approval_cancelled";
    /// The sender sent the signature requests; the message is theirs.
    pub const SIGN_REQUESTED: &str = "sign_requested";
    /// A signee opened the document.
    pub const VIEWED: &str = "viewed";
    /// A signee signed.
    pub const SIGNED: &str = "signed";
    /// A signee declined to sign; the message holds the reason.
    pub const SIGN_REJECTED: &str = "sign_rejected";
    /// The sender withdrew the signature requests.
    pub const SIGN_CANCELLED: &str = "sign_cancelled";
    /// Every signee has signed.
    pub const COMPLETED: &str = "completed";
    /// The contract went to the trash (on the website).
    pub const TRASHED: &str = "trashed";
}

/// Which of the person's contracts `/contract list box:` shows; the
/// guide's 요청 보냄 / 요청 받음 / 내 차례. Filtered on [`ContractSummary`]'s
/// `role` and `myTurn`: no list parameter for it is assumed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BoxFilter {
    #[default]
    All,
    Sent,
    Received,
    MyTurn,
}

impl BoxFilter {
    pub fn as_str(self) -> &'static str {
        match self {
            BoxFilter::All => "all",
            BoxFilter::Sent => "sent",
            BoxFilter::Received => "received",
            BoxFilter::MyTurn => "my_turn",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::All, Self::Sent, Self::Received, Self::MyTurn]
            .into_iter()
            .find(|b| b.as_str() == raw)
    }

    /// Whether `c` belongs in this box.
    pub fn holds(self, c: &ContractSummary) -> bool {
        match self {
            BoxFilter::All => true,
            BoxFilter::Sent => c.role == Role::Sender,
            BoxFilter::Received => c.role == Role::Receiver,
            BoxFilter::MyTurn => c.my_turn == Some(true),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contract {
    #[serde(flatten)]
    pub summary: ContractSummary,
    #[serde(default)]
    pub parties: Vec<Party>,
    #[serde(default)]
    pub signees: Vec<Signee>,
    #[serde(default)]
    pub timeline: Vec<TimelineEvent>,
    /// (A) The approval line, when there is one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub approvers: Vec<Approver>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    pub index: u32,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Signee {
    pub party: u32,
    pub name: String,
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default)]
    pub kakao: bool,
    #[serde(default)]
    pub has_password: bool,
    pub status: SigneeStatus,
    /// (A) `order`: present when signing is sequential; the lowest order
    /// among those who have not signed signs next. Absent: every signee is
    /// asked at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEvent {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// One signee to set; the password is a secret and never printed.
#[derive(Clone, Serialize, Deserialize)]
pub struct SigneeInput {
    pub party: u32,
    pub name: String,
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default)]
    pub kakao: bool,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "expose_opt"
    )]
    pub password: Option<SecretString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl fmt::Debug for SigneeInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigneeInput")
            .field("party", &self.party)
            .field("name", &self.name)
            .field("email", &self.email)
            .field("phone", &self.phone.as_ref().map(|_| "[redacted]"))
            .field("kakao", &self.kakao)
            .field("password", &self.password.as_ref().map(|_| "[redacted]"))
            .field("message", &self.message)
            .finish()
    }
}

fn expose_opt<S: Serializer>(value: &Option<SecretString>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => s.serialize_str(v.expose_secret()),
        None => s.serialize_none(),
    }
}

fn expose<S: Serializer>(value: &SecretString, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(value.expose_secret())
}

// ----- request and response bodies -----

#[derive(Serialize, Deserialize)]
pub struct LoginAdminRequest {
    #[serde(serialize_with = "expose")]
    pub secret: SecretString,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginAdminResponse {
    #[serde(serialize_with = "expose")]
    pub admin_token: SecretString,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RegisterClientRequest {
    pub email: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct ClientResponse {
    pub client: Client,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct LoginClientRequest {
    pub email: String,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginClientResponse {
    #[serde(serialize_with = "expose")]
    pub client_token: SecretString,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractList {
    pub contracts: Vec<ContractSummary>,
    pub total: u64,
    pub page: u32,
    pub limit: u32,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct ContractResponse {
    pub contract: Contract,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct RenameRequest {
    pub name: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetSigneesRequest {
    pub contract_id: ContractId,
    pub signees: Vec<SigneeInput>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContractIdRequest {
    pub contract_id: ContractId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Comake's error body.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ErrorBody {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub message: String,
}

/// The JWT claim that says when a token expires (seconds since the epoch).
pub const JWT_EXPIRY_CLAIM: &str = "exp";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_id_refuses_path_tricks() {
        assert!(ContractId::parse("64b7f0c2a1b2c3d4e5f60718").is_some());
        for bad in ["", "../admin", "a/b", "a b", "a?b", "é", &"a".repeat(65)] {
            assert!(ContractId::parse(bad).is_none(), "{bad:?} accepted");
        }
    }

    #[test]
    fn unknown_status_allows_nothing() {
        let s: ContractStatus = serde_json::from_str("\"archived\"").unwrap();
        assert_eq!(s, ContractStatus::Unknown);
        assert!(!s.can_edit() && !s.can_delete() && !s.can_request_sign() && !s.can_cancel_sign());
    }

    #[test]
    fn state_table_matches_the_guide() {
        // (edit, set signees/request, cancel, delete) per the guide's table.
        let table = [
            ("saved", true, true, false, true),
            ("approving", false, false, false, false),
            ("approval_cancelled", true, true, false, true),
            ("approval_rejected", true, false, false, true),
            ("approved", false, true, false, true),
            ("signing", false, false, true, false),
            ("sign_cancelled", true, true, false, true),
            ("sign_rejected", true, true, false, true),
            ("completed", false, false, false, true),
        ];
        for (name, edit, req, cancel, delete) in table {
            let s: ContractStatus = serde_json::from_value(name.into()).unwrap();
            assert_eq!(s.as_str(), name);
            assert_eq!(
                (
                    s.can_edit(),
                    s.can_request_sign(),
                    s.can_cancel_sign(),
                    s.can_delete()
                ),
                (edit, req, cancel, delete),
                "{name}"
            );
        }
    }

    #[test]
    fn signee_password_is_sent_but_never_printed() {
        let s = SigneeInput {
            party: 0,
            name: "Kim".into(),
            email: "kim@example.com".into(),
            phone: Some("010-1234-5678".into()),
            kakao: false,
            password: Some(SecretString::from("hunter22".to_owned())),
            message: None,
        };
        let json = serde_json::to_string(&s).unwrap();
        assert!(json.contains("\"password\":\"hunter22\""));
        let dbg = format!("{s:?}");
        assert!(!dbg.contains("hunter22") && !dbg.contains("1234"));
    }
}
