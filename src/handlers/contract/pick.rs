//! Picking a signee by who they are: `member:` (a linked colleague) or `me:true` (the sender) fill the name and email from the link, so only outsiders are typed.

use crate::store::Account;

use super::super::{Ctx, Failure};

/// A signee's name and email taken from a link.
pub(super) struct Picked {
    pub(super) name: String,
    pub(super) email: String,
    /// A colleague's (not the sender's own): their email is shown to the
    /// sender masked, never in full.
    pub(super) colleague: bool,
}

/// The person the `member` or `me` option names, if either was given:
/// the member must be a linked colleague; both at once, or either with a
/// typed name or email, is refused.
pub(super) async fn picked(ctx: &Ctx<'_>, me: &Account) -> Result<Option<Picked>, Failure> {
    let inv = ctx.inv;
    let member = inv.user_opt("member");
    let myself = inv.bool("me").unwrap_or(false);
    if member.is_none() && !myself {
        return Ok(None);
    }
    let typed = ["name", "email"]
        .iter()
        .any(|o| inv.str(o).is_some_and(|s| !s.trim().is_empty()));
    if typed || (member.is_some() && myself) {
        return Err(ctx.refuse("signee-pick-one", &[]));
    }
    let account = match member {
        Some(id) if id != me.discord_id => {
            // Discord resolves a member of this server; a bare id of
            // someone else is not a colleague.
            let in_server = inv.guild.is_none() || inv.members.contains(&id);
            let linked = if in_server {
                ctx.app.store.account(id).await?
            } else {
                None
            };
            linked.ok_or_else(|| ctx.refuse("signee-member-not-linked", &[]))?
        }
        _ => me.clone(),
    };
    Ok(Some(Picked {
        colleague: account.discord_id != me.discord_id,
        name: account.name,
        email: account.email,
    }))
}
