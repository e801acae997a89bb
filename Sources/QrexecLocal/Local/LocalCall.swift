import DisplayText
import Qrexec
import Glibc
import Localization
import SystemIO
import SystemPackage

/// One qrexec call between local VMs, as `qrexec-client-vm` makes it inside a Qubes VM:
/// the policy decides, the service starts in the target's sandbox, and the caller's local
/// program is joined to it by two pipes.
public struct LocalCall {
    public var vms: LocalVMs
    /// The calling VM.
    public var source: String
    /// False only when the user explicitly chose `--no-sandbox`.
    public var sandboxed: Bool

    public init(vms: LocalVMs, source: String, sandboxed: Bool) {
        self.vms = vms
        self.source = source
        self.sandboxed = sandboxed
    }

    /// What the caller asked for: `TARGET SERVICE[+ARG] [LOCAL_PROGRAM ARGS...]`.
    public struct Request: Sendable, Equatable {
        public var target: String
        public var call: String
        /// The local program and its arguments; empty joins the service to our own stdin/stdout.
        public var localCommand: [String]
        public var filterStderr: Bool

        public init(target: String, call: String, localCommand: [String], filterStderr: Bool) {
            self.target = target
            self.call = call
            self.localCommand = localCommand
            self.filterStderr = filterStderr
        }
    }

    /// Runs the call and returns the exit status qrexec-client-vm would: the service's when it
    /// is not zero, else the local program's (the service's when there is none); 126 refused,
    /// 127 no such service, 125 any other failure. Errors are written to stderr as one line each.
    public func run(_ request: Request) -> Int32 {
        do {
            return try perform(request)
        } catch {
            writeError(error.description)
            return error.exitStatus
        }
    }

    private func perform(_ request: Request) throws(LocalCallError) -> Int32 {
        guard vms.exists(source) else { throw .failed(tr("The calling VM \"%s\" does not exist.", DisplayText.escaped(source))) }
        guard let (service, argument) = ServiceEnvironment.splitCall(request.call) else {
            throw .failed(tr("\"%s\" is not a valid service name.", DisplayText.escaped(request.call)))
        }
        guard TargetName.isValidTarget(request.target), case .success(let wanted) = PolicyToken.parse(request.target, as: .request)
        else { throw .failed(tr("\"%s\" is not a valid target.", DisplayText.escaped(request.target))) }
        try requireExisting(wanted)
        let policy: Policy
        do {
            policy = try vms.loadPolicy()
        } catch {
            throw .refused(tr("The policy cannot be read, so every call is refused: %s", String(describing: error)))
        }
        let target = try resolve(policy.decide(service: service, argument: argument, source: source, target: wanted, vms: vms.list()), call: request.call)
        try requireExisting(target)
        if target == .vm(source) {
            throw .refused(tr("A VM cannot call a service in itself (%s).", DisplayText.escaped(source)))
        }
        var disposable: String?
        defer { if let disposable { try? vms.remove(disposable) } }
        let vm: String
        switch target {
        case .vm(let name): vm = name
        case .dispVMTemplate(let template):
            do { vm = try vms.createDisposable(from: template) } catch { throw .failed(error.description) }
            disposable = vm
        default:
            let template = vms.exists(LocalVMs.defaultDispVMTemplate) ? LocalVMs.defaultDispVMTemplate : nil
            do { vm = try vms.createDisposable(from: template) } catch { throw .failed(error.description) }
            disposable = vm
        }
        let environment = ServiceEnvironment(remoteDomain: source, service: service, argument: argument)
        let located = try LocalService.locate(environment, in: vm, of: vms)
        let command = try serviceCommand(located, environment: environment, vm: vm)
        return try join(service: command, request: request)
    }

    /// The decision turned into one target, asking the user when the policy says so.
    private func resolve(_ decision: PolicyDecision, call: String) throws(LocalCallError) -> PolicyToken {
        switch decision {
        case .deny(let reason): throw .refused(reason)
        case .allow(let target): return target
        case .ask(let choices, let preselected):
            return try AskPrompt.ask(call: call, source: source, choices: choices, preselected: preselected)
        }
    }

    private func requireExisting(_ token: PolicyToken) throws(LocalCallError) {
        switch token {
        case .vm(let name), .dispVMTemplate(let name):
            if !vms.exists(name) { throw .failed(tr("There is no VM named \"%s\".", DisplayText.escaped(name))) }
        default: break
        }
    }

    /// The service's command line: inside bubblewrap, or bare when the sandbox is off.
    private func serviceCommand(_ service: LocalService, environment: ServiceEnvironment, vm: String) throws(LocalCallError)
        -> ServiceCommand
    {
        var variables = ["PATH=/usr/local/bin:/usr/bin:/bin"] + environment.variables
        for name in ["LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LC_CTYPE"] {
            if let value = getenv(name) { variables.append(name + "=" + String(cString: value)) }
        }
        guard sandboxed else {
            return ServiceCommand(
                argv: [service.executable] + service.arguments, environment: variables + ["HOME=" + vms.home(of: vm)],
                directory: vms.home(of: vm))
        }
        guard let sandbox = Sandbox.find() else {
            throw .failed(tr("bubblewrap (bwrap) is not installed, so services cannot be sandboxed; install it or pass --no-sandbox."))
        }
        if let reason = sandbox.unavailability() {
            throw .failed(reason + " " + tr("Refusing to run the service unsandboxed unless --no-sandbox is given."))
        }
        var files: [(source: String, destination: String)] = []
        var readOnly = Sandbox.libraryFolders()
        var program = service.executable
        if service.isVMScript {
            program = Sandbox.servicesFolder + "/" + String(service.executable.split(separator: "/").last!)
            files.append((service.executable, program))
        } else {
            readOnly.insert(ProgramLocation.directory(of: service.executable), at: 0)
        }
        let argv = sandbox.arguments(
            command: [program] + service.arguments, home: vms.home(of: vm),
            environment: variables + ["HOME=" + Sandbox.home], readOnly: readOnly, hidden: [vms.root], files: files)
        return ServiceCommand(argv: argv, environment: [], directory: "/")
    }

    /// How to start a service: bwrap's command line, or the bare program with its environment.
    struct ServiceCommand {
        var argv: [String]
        var environment: [String]
        var directory: String
    }

    /// Starts the service and the local program joined by two pipes, waits for both and
    /// returns the service's status when it failed, else the local program's.
    private func join(service: ServiceCommand, request: Request) throws(LocalCallError) -> Int32 {
        do {
            let errors = request.filterStderr ? try Spawn.closeOnExecPipe(atLeast: ChildProcess.firstFree) : nil
            defer { if let errors { close(errors.read) } }
            guard !request.localCommand.isEmpty else {
                let pid = try ChildProcess.start(
                    service.argv[0], arguments: service.argv, environment: service.environment,
                    descriptors: [(0, 0), (1, 1), (errors?.write ?? 2, 2)], directory: service.directory)
                if let errors { close(errors.write) }
                pumpFiltered(errors)
                return try Spawn.wait(pid).shellStatus
            }
            let toService = try Spawn.closeOnExecPipe(atLeast: ChildProcess.firstFree)
            let fromService = try Spawn.closeOnExecPipe(atLeast: ChildProcess.firstFree)
            let servicePID = try ChildProcess.start(
                service.argv[0], arguments: service.argv, environment: service.environment,
                descriptors: [(toService.read, 0), (fromService.write, 1), (errors?.write ?? 2, 2)],
                directory: service.directory)
            close(toService.read)
            close(fromService.write)
            if let errors { close(errors.write) }
            let savedInput = try Spawn.closeOnExecDuplicate(0, atLeast: ChildProcess.firstFree)
            let savedOutput = try Spawn.closeOnExecDuplicate(1, atLeast: ChildProcess.firstFree)
            let localEnvironment = Spawn.currentEnvironment().filter { !$0.hasPrefix("SAVED_FD_0=") && !$0.hasPrefix("SAVED_FD_1=") }
                + ["SAVED_FD_0=3", "SAVED_FD_1=4"]
            let localPID: pid_t
            do {
                localPID = try ChildProcess.start(
                    request.localCommand[0], arguments: request.localCommand, environment: localEnvironment,
                    descriptors: [(fromService.read, 0), (toService.write, 1), (2, 2), (savedInput, 3), (savedOutput, 4)])
            } catch {
                // Closing our ends lets the service see the end of its input and finish.
                [fromService.read, toService.write, savedInput, savedOutput].forEach { close($0) }
                pumpFiltered(errors)
                _ = try? Spawn.wait(servicePID)
                throw LocalCallError.failed(tr("Cannot start %s: %s", DisplayText.escaped(request.localCommand[0]), String(describing: error)))
            }
            [fromService.read, toService.write, savedInput, savedOutput].forEach { close($0) }
            pumpFiltered(errors)
            let localStatus = try Spawn.wait(localPID).shellStatus
            let serviceStatus = try Spawn.wait(servicePID).shellStatus
            // Qubes' rule: the service's status when it failed, else the local program's.
            return serviceStatus != 0 ? serviceStatus : localStatus
        } catch let error as LocalCallError {
            throw error
        } catch {
            throw .failed(tr("The call could not be set up: %s", String(describing: error)))
        }
    }

    /// Copies the service's error output to ours through the filter until it ends.
    private func pumpFiltered(_ errors: (read: Int32, write: Int32)?) {
        guard let errors else { return }
        var filter = StderrFilter()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = (try? syscallRetrying { read(errors.read, &chunk, chunk.count) }) ?? 0
            if count <= 0 { break }
            try? FileDescriptor.standardError.writeFully(filter.filter(chunk[..<count]))
        }
        try? FileDescriptor.standardError.writeFully(filter.finish())
    }
}

/// Writes `qrexec-local: MESSAGE` as one line on stderr.
func writeError(_ message: String) {
    printError("qrexec-local: " + message)
}
