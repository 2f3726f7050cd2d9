//! `/sign-in`: the sign-in form. It posts to the server's own handler, which sets the session
//! cookie and comes back here with a message when the details are wrong.

use crate::components::form::ProblemSummary;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let problem = move || {
        let query = query.read();
        if let Some(seconds) = query.get("wait").and_then(|s| s.parse::<u32>().ok()) {
            Some(format!(
                "Too many sign-in attempts from here. Wait {} before trying again.",
                wait_words(seconds)
            ))
        } else if query.get("failed").is_some() {
            Some("The username or password is not right. Check them and try again.".to_string())
        } else {
            None
        }
    };
    let signed_in = crate::session::current_user();
    view! {
        <Title text="Sign in" />
        <div class="narrow">
            {move || problem().map(|message| view! { <ProblemSummary message href=None /> })}
            <h1 class="heading-xl">"Sign in"</h1>
            {signed_in.map(|user| view! { <p class="inset">{format!("You are signed in as {}. Signing in again replaces that session.", user.name)}</p> })}
            <form method="post" action="/sign-in" class="sign-in">
                <div class="form-group">
                    <label class="label" for="username">"Username"</label>
                    <p class="hint" id="username-hint">"Usually your first and last names with a full stop between, for example claire.whitby"</p>
                    <input class="input input--wide" type="text" id="username" name="username" autocomplete="username" spellcheck="false" aria-describedby="username-hint" required />
                </div>
                <div class="form-group">
                    <label class="label" for="password">"Password"</label>
                    <input class="input input--wide" type="password" id="password" name="password" autocomplete="current-password" required />
                </div>
                <button type="submit" class="button">"Sign in"</button>
            </form>
            <p class="body">"Anyone can read the map, the indicators and the change summary without signing in. Portfolio Holders, data owners, Assistant Directors and Business Improvement sign in to change them."</p>
        </div>
    }
}

fn wait_words(seconds: u32) -> String {
    if seconds < 90 {
        format!("{seconds} seconds")
    } else {
        format!("{} minutes", seconds.div_ceil(60))
    }
}
