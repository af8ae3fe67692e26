//! Demo matching profiles: every host's background (earlier roles, languages, region, seniority) and a seeker
//! profile for every demo seeker, drawn from how they introduce themselves, so that "People to talk to" has
//! something to say. Many are career changers whose move some host has already made (a hotel receptionist and
//! Kenji, a teacher and Hannah or Liam, a call-centre agent and Maya).

use anyhow::{Context as _, anyhow};
use coffeechat_domain::{HostBackgroundInput, SeekerProfileInput};

use super::{Loader, people};

/// A seeker profile for one way of introducing oneself ([`people::SEEKER_BACKGROUNDS`] and the featured seeker).
struct SeekerSpec {
    background: &'static str,
    current_role: &'static str,
    previous_roles: &'static [&'static str],
    target_roles: &'static [&'static str],
    target_industries: &'static [&'static str],
    skills: &'static [&'static str],
    learn_topics: &'static [&'static str],
    current_employer: &'static str,
}

const SEEKERS: &[SeekerSpec] = &[
    SeekerSpec {
        background: "a warehouse team lead looking for a less physical career",
        current_role: "Warehouse team lead",
        previous_roles: &["Warehouse operative"],
        target_roles: &["Supply chain planner", "Data analyst"],
        target_industries: &["Manufacturing"],
        skills: &["Inventory", "Staff scheduling", "Excel"],
        learn_topics: &["demand planning", "SQL"],
        current_employer: "Northgate Logistics",
    },
    SeekerSpec {
        background: "a final-year computer science student",
        current_role: "Computer science student",
        previous_roles: &[],
        target_roles: &["Software engineer", "Data engineer"],
        target_industries: &["Software"],
        skills: &["Python", "SQL", "Git"],
        learn_topics: &["technical interviews", "which SQL to learn first"],
        current_employer: "",
    },
    SeekerSpec {
        background: "a retail shift supervisor",
        current_role: "Shift supervisor",
        previous_roles: &["Sales associate"],
        target_roles: &["Store manager", "Operations manager"],
        target_industries: &["Retail"],
        skills: &["Staff scheduling", "Customer service"],
        learn_topics: &["store operations", "team leadership"],
        current_employer: "",
    },
    SeekerSpec {
        background: "a former chef retraining",
        current_role: "Chef",
        previous_roles: &["Line cook"],
        target_roles: &["Volunteer coordinator", "Program manager"],
        target_industries: &["Nonprofit"],
        skills: &["Team leadership", "Budgeting"],
        learn_topics: &["volunteer management", "grant writing"],
        current_employer: "",
    },
    SeekerSpec {
        background: "returning to work after five years caring for my children",
        current_role: "",
        previous_roles: &["Accountant"],
        target_roles: &["Financial planner", "Internal auditor"],
        target_industries: &["Finance"],
        skills: &["Excel", "Tax"],
        learn_topics: &["client relationships", "returning after a career break"],
        current_employer: "",
    },
    SeekerSpec {
        background: "a second-year nursing student",
        current_role: "Nursing student",
        previous_roles: &["Care assistant"],
        target_roles: &["Registered nurse", "Clinical informatics specialist"],
        target_industries: &["Healthcare"],
        skills: &["Patient care"],
        learn_topics: &["surviving night shifts", "nursing careers beyond the bedside"],
        current_employer: "",
    },
    SeekerSpec {
        background: "an accountant looking for more hands-on work",
        current_role: "Accountant",
        previous_roles: &[],
        target_roles: &["Project engineer", "Quality engineer"],
        target_industries: &["Energy", "Manufacturing"],
        skills: &["Excel", "Financial modelling"],
        learn_topics: &["project management", "site work"],
        current_employer: "",
    },
    SeekerSpec {
        background: "an employment specialist asking on behalf of a client, with their consent",
        current_role: "Employment specialist",
        previous_roles: &["Job centre adviser"],
        target_roles: &["Careers adviser"],
        target_industries: &["Education", "Public sector"],
        skills: &["Career coaching", "CV reviews"],
        learn_topics: &["employer partnerships"],
        current_employer: "",
    },
    SeekerSpec {
        background: "a recent history graduate",
        current_role: "History graduate",
        previous_roles: &[],
        target_roles: &["Policy analyst", "Credit risk analyst", "Journalist"],
        target_industries: &["Public sector", "Finance"],
        skills: &["Writing", "Research"],
        learn_topics: &["writing briefs", "graduate schemes"],
        current_employer: "",
    },
    SeekerSpec {
        background: "leaving the army after eight years",
        current_role: "Soldier",
        previous_roles: &["Army logistics specialist"],
        target_roles: &["Supply chain planner", "Operations manager"],
        target_industries: &["Manufacturing", "Retail"],
        skills: &["Team leadership", "Logistics"],
        learn_topics: &["sales and operations planning"],
        current_employer: "",
    },
    SeekerSpec {
        background: "a hotel receptionist thinking about a change",
        current_role: "Hotel receptionist",
        previous_roles: &[],
        target_roles: &["Mobile developer", "Software engineer"],
        target_industries: &["Software"],
        skills: &["Customer service", "Swift"],
        learn_topics: &["bootcamp or degree", "a portfolio that gets read"],
        current_employer: "",
    },
    SeekerSpec {
        background: "a secondary-school teacher considering a move",
        current_role: "Secondary school teacher",
        previous_roles: &[],
        target_roles: &["Product manager", "Instructional designer"],
        target_industries: &["Software", "Education"],
        skills: &["Curriculum design", "SQL"],
        learn_topics: &["leaving teaching for tech", "product discovery"],
        current_employer: "",
    },
    SeekerSpec {
        background: "a marketing coordinator whose team was just cut",
        current_role: "Marketing coordinator",
        previous_roles: &[],
        target_roles: &["E-commerce merchandiser", "Product manager"],
        target_industries: &["Retail", "Software"],
        skills: &["A/B testing", "Web analytics"],
        learn_topics: &["pricing", "merchandising"],
        current_employer: "",
    },
    SeekerSpec {
        background: "an apprentice electrician",
        current_role: "Apprentice electrician",
        previous_roles: &[],
        target_roles: &["Electrical engineer", "Project engineer"],
        target_industries: &["Energy"],
        skills: &["Electrical installation"],
        learn_topics: &["solar PV", "studying engineering part-time"],
        current_employer: "",
    },
    SeekerSpec {
        background: "a bootcamp graduate looking for a first role",
        current_role: "Bootcamp graduate",
        previous_roles: &["Barista"],
        target_roles: &["Frontend engineer", "Software engineer"],
        target_industries: &["Software"],
        skills: &["JS", "React", "CSS"],
        learn_topics: &["preparing for technical interviews", "finding a first mentor"],
        current_employer: "",
    },
    SeekerSpec {
        background: "a call-centre agent",
        current_role: "Call centre agent",
        previous_roles: &[],
        target_roles: &["Software engineer", "Customer success"],
        target_industries: &["Software"],
        skills: &["Customer service"],
        learn_topics: &["moving from support into engineering"],
        current_employer: "",
    },
    SeekerSpec {
        background: "a biology master's student",
        current_role: "Biology student",
        previous_roles: &["Laboratory assistant"],
        target_roles: &["Laboratory quality manager", "Microbiologist"],
        target_industries: &["Healthcare"],
        skills: &["Microbiology", "Statistics"],
        learn_topics: &["laboratory medicine", "auditing"],
        current_employer: "",
    },
    SeekerSpec {
        background: "a freelance graphic designer",
        current_role: "Graphic designer",
        previous_roles: &[],
        target_roles: &["UX researcher", "Product designer"],
        target_industries: &["Software", "Design & media"],
        skills: &["Illustration", "Interviewing"],
        learn_topics: &["usability testing", "user research"],
        current_employer: "",
    },
    SeekerSpec {
        background: "a bus driver studying in the evenings",
        current_role: "Bus driver",
        previous_roles: &[],
        target_roles: &["Transport planner", "Data analyst"],
        target_industries: &["Public sector"],
        skills: &["GIS", "Excel"],
        learn_topics: &["transport planning", "public consultation"],
        current_employer: "City Transit",
    },
    SeekerSpec {
        background: "a paralegal",
        current_role: "Paralegal",
        previous_roles: &[],
        target_roles: &["Policy analyst", "Internal auditor"],
        target_industries: &["Public sector", "Finance"],
        skills: &["Research", "Writing briefs"],
        learn_topics: &["policy analysis", "risk assessment"],
        current_employer: "",
    },
    SeekerSpec {
        background: "a new arrival in the country with ten years of experience back home",
        current_role: "",
        previous_roles: &["Civil engineer", "Site engineer"],
        target_roles: &["Project engineer", "Transport planner"],
        target_industries: &["Energy", "Public sector"],
        skills: &["Project management", "Electrical design"],
        learn_topics: &["getting experience recognised", "which certifications matter"],
        current_employer: "",
    },
];

/// A broad region for an IANA zone, as profiles write it.
fn region_of(zone: &str) -> &'static str {
    const LATIN_AMERICA: [&str; 4] = ["America/Mexico_City", "America/Sao_Paulo", "America/Bogota", "America/Santiago"];
    match zone.split('/').next().unwrap_or_default() {
        "Europe" => "Europe",
        "America" if LATIN_AMERICA.contains(&zone) => "Latin America",
        "America" => "North America",
        "Africa" => "Africa",
        "Asia" if zone == "Asia/Dubai" => "Middle East",
        "Asia" => "Asia",
        "Australia" | "Pacific" => "Oceania",
        _ => "",
    }
}

/// The languages a demo seeker speaks: English, and the main language of where they live when it is another.
fn languages_of(zone: &str) -> Vec<String> {
    let local = match zone {
        "America/Mexico_City" | "America/Bogota" | "Europe/Madrid" => Some("Spanish"),
        "America/Sao_Paulo" | "Europe/Lisbon" => Some("Portuguese"),
        "Europe/Berlin" => Some("German"),
        "Europe/Warsaw" => Some("Polish"),
        "Africa/Lagos" => Some("Yoruba"),
        "Africa/Nairobi" => Some("Swahili"),
        "Asia/Kolkata" => Some("Hindi"),
        "Asia/Manila" => Some("Tagalog"),
        "Asia/Tokyo" => Some("Japanese"),
        _ => None,
    };
    std::iter::once("English").chain(local).map(str::to_owned).collect()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|item| (*item).to_owned()).collect()
}

/// Writes every host's background and every seeker's profile.
///
/// # Errors
/// A store error, or a demo record the domain rejects (caught by the tests).
pub(super) async fn load(loader: &Loader) -> anyhow::Result<()> {
    for host in &loader.hosts {
        let spec = people::HOST_BACKGROUNDS
            .iter()
            .find(|background| background.handle == host.spec.handle)
            .ok_or_else(|| anyhow!("no demo background for {}", host.spec.handle))?;
        let background = HostBackgroundInput {
            previous_roles: strings(spec.previous_roles),
            languages: strings(spec.languages),
            region: spec.region.to_owned(),
            seniority: spec.seniority.to_owned(),
        }
        .validate()
        .map_err(|errors| anyhow!("demo background of {}: {errors}", spec.handle))?;
        loader
            .store
            .put_host_background(host.account.id, &background)
            .await
            .with_context(|| format!("background of {}", spec.handle))?;
    }
    for seeker in &loader.seekers {
        let Some(spec) = SEEKERS.iter().find(|spec| spec.background == seeker.background) else {
            // Hosts who also seek introduce themselves in their own words; their host profile says enough.
            continue;
        };
        let zone = seeker.account.time_zone.as_str();
        let profile = SeekerProfileInput {
            target_roles: strings(spec.target_roles),
            target_industries: strings(spec.target_industries),
            current_role: spec.current_role.to_owned(),
            previous_roles: strings(spec.previous_roles),
            current_employer: spec.current_employer.to_owned(),
            skills: strings(spec.skills),
            languages: languages_of(zone),
            region: region_of(zone).to_owned(),
            // Everyone meets by video, except bus drivers who asked to meet near the depot.
            remote_ok: spec.current_role != "Bus driver",
            learn_topics: strings(spec.learn_topics),
        }
        .validate()
        .map_err(|errors| anyhow!("demo seeker profile for {:?}: {errors}", spec.background))?;
        loader
            .store
            .put_seeker_profile(seeker.account.id, &profile, loader.now)
            .await
            .with_context(|| format!("seeker profile of {}", seeker.account.email.as_str()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_seeker_background_and_every_host_has_a_matching_profile() {
        for background in people::SEEKER_BACKGROUNDS.iter().chain([&people::FEATURED_SEEKER.3]) {
            assert!(SEEKERS.iter().any(|spec| spec.background == *background), "{background}");
        }
        for host in people::HOSTS {
            assert!(people::HOST_BACKGROUNDS.iter().any(|b| b.handle == host.handle), "{}", host.handle);
        }
        assert_eq!(people::HOST_BACKGROUNDS.len(), people::HOSTS.len());
    }

    #[test]
    fn every_demo_profile_validates() {
        for spec in SEEKERS {
            let input = SeekerProfileInput {
                target_roles: strings(spec.target_roles),
                target_industries: strings(spec.target_industries),
                current_role: spec.current_role.to_owned(),
                previous_roles: strings(spec.previous_roles),
                skills: strings(spec.skills),
                learn_topics: strings(spec.learn_topics),
                ..SeekerProfileInput::default()
            };
            assert!(input.validate().is_ok(), "{}", spec.background);
        }
        for spec in people::HOST_BACKGROUNDS {
            let input = HostBackgroundInput {
                previous_roles: strings(spec.previous_roles),
                languages: strings(spec.languages),
                region: spec.region.to_owned(),
                seniority: spec.seniority.to_owned(),
            };
            assert!(input.validate().is_ok(), "{}", spec.handle);
        }
    }

    #[test]
    fn zones_map_to_regions() {
        assert_eq!(region_of("America/Vancouver"), "North America");
        assert_eq!(region_of("America/Bogota"), "Latin America");
        assert_eq!(region_of("Asia/Dubai"), "Middle East");
        assert_eq!(languages_of("Europe/Madrid"), ["English", "Spanish"]);
    }
}
