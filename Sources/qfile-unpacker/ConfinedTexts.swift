import Localization

/// What the receiver may print once confined, translated before: from `Confinement.apply` on
/// no catalogue is opened, since inside the chroot their paths would name files in the
/// incoming folder, which the sender fills. Filled later with `fill`.
struct ConfinedTexts {
    // TRANSLATORS: %s is the system's reason.
    let cannotDropPrivileges = tr("cannot drop privileges: %s")
    // TRANSLATORS: %s is the name of a file, folder or link that arrived (with -v).
    let received = tr("received %s")
    // TRANSLATORS: the first %s is the error number, the second the name of the entry refused.
    let refusedNamed = tr("transfer refused with error %s (\"%s\")")
    let refused = tr("transfer refused with error %s")
    // TRANSLATORS: %s is a number of seconds (s); idle-timeout is the setting's literal name.
    let senderWentSilent = tr("nothing arrived from the sender for %s s (idle-timeout)")
}
