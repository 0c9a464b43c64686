//! The Credence desktop shell: the window, its menu, and commands that each call one
//! `credence-app` function on a blocking thread, so the window never waits on the database.

mod commands;
mod menu;
mod watch;

use std::path::{Path, PathBuf};

use credence_app::master::location;
use credence_app::Session;
use tauri::Manager;

/// Where the window's workspace is: `--workspace PATH` or a bare `PATH` (what a file manager
/// passes when a `.credence` file is opened with Credence), then `CREDENCE_WORKSPACE`, then
/// the last one opened, then the default.
fn workspace_from_args() -> PathBuf {
    location::resolve(workspace_arg(std::env::args().skip(1)).as_deref())
}

/// The workspace named on the command line, made absolute (the window remembers it for the
/// next launch, which may start elsewhere). A `file://` URI is read as its path.
fn workspace_arg(args: impl IntoIterator<Item = String>) -> Option<PathBuf> {
    let mut args = args.into_iter();
    let mut named = None;
    while let Some(arg) = args.next() {
        if arg == "--workspace" {
            named = args.next();
        } else if let Some(v) = arg.strip_prefix("--workspace=") {
            named = Some(v.to_string());
        } else if !arg.starts_with('-') && named.is_none() {
            named = Some(arg);
        }
    }
    let named = named.filter(|n| !n.is_empty())?;
    // A shared workspace's URL is taken as written.
    if credence_app::kernel::server_url(Path::new(&named)).is_some() {
        return Some(PathBuf::from(named));
    }
    let path = match tauri::Url::parse(&named) {
        Ok(url) if url.scheme() == "file" => url.to_file_path().ok()?,
        _ => PathBuf::from(named),
    };
    Some(std::path::absolute(&path).unwrap_or(path))
}

pub fn run() {
    // WebKitGTK's DMA-BUF renderer held about 80 MB more in the web view for Credence's pages
    // (210 MB against 131 MB PSS at the first screen, `tests/bench/window.mjs`, release
    // build), and it is the renderer behind the blank windows Tauri apps meet on some GPU
    // drivers. A person who sets the variable themselves keeps their choice. Set before any
    // thread starts.
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("CREDENCE_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .init();
    let session = Session::start(workspace_from_args(), location::data_dir());
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        // Used from Rust only, to open attachments in the system viewer; the UI has no
        // opener permission (see capabilities/).
        .plugin(tauri_plugin_opener::init())
        .manage(session)
        .manage(credence_app::issuing::verification::DroppedFiles::default())
        .manage(watch::Watch::default())
        // The window system tells Rust which files were dropped; the verify command reads
        // only those (the page could otherwise name any file).
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                window
                    .state::<credence_app::issuing::verification::DroppedFiles>()
                    .remember(paths);
            }
        })
        .setup(|app| {
            let menu = menu::build(app.handle())?;
            app.set_menu(menu)?;
            app.on_menu_event(menu::on_event);
            if let Some(window) = app.get_webview_window("main") {
                window.set_title("Credence")?;
            }
            // Changes made by the command line (or another window) reach this one.
            watch::Watch::start(app.handle());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::session,
            commands::setup_workspace,
            commands::open_demo,
            commands::connect_workspace,
            commands::set_acting_person,
            commands::proposal_diff,
            commands::calendar,
            commands::set_calendar,
            commands::end_teach_out,
            commands::report,
            commands::export_report_csv,
            commands::export_catalog,
            commands::record_review_outcome,
            commands::start_change,
            commands::change_request,
            commands::set_change_details,
            commands::set_change_level,
            commands::termination_impact,
            commands::request_termination,
            commands::termination_request,
            commands::microcredential_list,
            commands::microcredential,
            commands::suspend_microcredential,
            commands::resume_microcredential,
            commands::sign_in_options,
            commands::sign_in,
            commands::sign_out,
            commands::enrol,
            commands::touch_session,
            commands::new_enrolment,
            commands::idle_lock_minutes,
            commands::set_idle_lock_minutes,
            commands::countries,
            commands::languages,
            commands::update_institution,
            commands::set_logo,
            commands::remove_logo,
            commands::institution_logo,
            commands::list_units,
            commands::create_unit,
            commands::update_unit,
            commands::list_people,
            commands::create_person,
            commands::update_person,
            commands::audit_entries,
            commands::verify_audit,
            commands::save_audit_receipt,
            commands::check_audit_receipt,
            commands::taxonomy,
            commands::policy,
            commands::pathways,
            commands::list_proposals,
            commands::get_proposal,
            commands::proposal_version,
            commands::check_proposal,
            commands::create_proposal,
            commands::save_draft,
            commands::move_proposal,
            commands::put_term,
            commands::import_skills,
            commands::set_policy,
            commands::put_pathway,
            commands::badge_preview,
            commands::attach_files,
            commands::detach_file,
            commands::open_attachment,
            commands::set_custom_badge,
            commands::clear_custom_badge,
            commands::attachment_limit,
            commands::set_attachment_limit,
            commands::inbox,
            commands::review,
            commands::service_clock,
            commands::committee,
            commands::committee_queue,
            commands::add_member,
            commands::voting_rules,
            commands::set_voting_rules,
            commands::create_signing_key,
            commands::renew_signing_key,
            commands::signing_keys,
            commands::reset_signing_key,
            commands::sign_off,
            commands::declare_conflict,
            commands::meet_condition,
            commands::meetings,
            commands::meeting,
            commands::schedule_meeting,
            commands::set_agenda,
            commands::record_attendance,
            commands::move_motion,
            commands::cast_vote,
            commands::close_motion,
            commands::acknowledge_item,
            commands::close_meeting,
            commands::open_document,
            commands::open_certificate,
            commands::certificate_templates,
            commands::save_certificate_template,
            commands::delete_certificate_template,
            commands::add_signature_image,
            commands::signature_image,
            commands::preview_certificate_template,
            commands::preview_certificate,
            commands::open_electronic_vote,
            commands::deliberation,
            commands::assign_reviewer,
            commands::submit_scores,
            commands::add_comment,
            commands::edit_comment,
            commands::routes,
            commands::issuer_state,
            commands::unlock_issuer,
            commands::lock_issuer,
            commands::rotate_issuer_key,
            commands::set_issuing_settings,
            commands::microcredentials,
            commands::awards,
            commands::issue_credential,
            commands::revoke_awards,
            commands::revoke_awards_listed,
            commands::roster_preview,
            commands::start_batch,
            commands::run_batch,
            commands::cancel_batch,
            commands::close_batch,
            commands::batches,
            commands::save_batch_files,
            commands::save_batch_platform_csv,
            commands::events,
            commands::held_event,
            commands::export_event,
            commands::finish_event,
            commands::merge_event,
            commands::open_event_package,
            commands::correct_award,
            commands::renew_award,
            commands::prior_learning,
            commands::import_ob2,
            commands::open_prior_learning,
            commands::add_prior_learning_evidence,
            commands::open_prior_learning_evidence,
            commands::assess_prior_learning,
            commands::award_prior_learning,
            commands::reinstate_awards,
            commands::save_award_files,
            commands::export_status_lists,
            commands::export_did_document,
            commands::verify_credential_file,
            commands::verify_dropped_file,
            commands::put_route,
            commands::rubric,
            commands::set_rubric,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("credence: the window could not start: {e}");
        std::process::exit(2);
    }
}

#[cfg(test)]
mod tests {
    use super::workspace_arg;
    use std::path::PathBuf;

    fn arg(args: &[&str]) -> Option<PathBuf> {
        workspace_arg(args.iter().map(|a| a.to_string()))
    }

    #[test]
    fn a_workspace_is_named_by_flag_by_bare_path_or_by_file_uri() {
        assert_eq!(arg(&[]), None);
        assert_eq!(
            arg(&["--workspace", "/w/a.credence"]),
            Some("/w/a.credence".into())
        );
        assert_eq!(
            arg(&["--workspace=/w/b.credence"]),
            Some("/w/b.credence".into())
        );
        // What the desktop entry's `%f` passes.
        assert_eq!(
            arg(&["/home/dana/Review 2027.credence"]),
            Some("/home/dana/Review 2027.credence".into())
        );
        assert_eq!(
            arg(&["file:///home/dana/Review%202027.credence"]),
            Some("/home/dana/Review 2027.credence".into())
        );
        // The flag wins over a bare path; options of other kinds are not paths.
        assert_eq!(
            arg(&["x.credence", "--workspace", "/w/c.credence"]),
            Some("/w/c.credence".into())
        );
        assert_eq!(arg(&["--verbose"]), None);
        // A relative path is made absolute, for the next launch from elsewhere.
        let relative = arg(&["here.credence"]).expect("a path");
        assert!(relative.is_absolute());
        assert!(relative.ends_with("here.credence"));
    }
}
