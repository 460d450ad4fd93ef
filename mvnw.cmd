@REM ----------------------------------------------------------------------------------------------
@REM mvnw.cmd: mvnw for Windows (cmd.exe or PowerShell): runs the Maven version pinned in
@REM .mvn\wrapper\maven-wrapper.properties.
@REM
@REM The first run fetches the Maven distribution (org.apache.maven:apache-maven:<version>:zip:bin)
@REM into %USERPROFILE%\.m2\wrapper\dists\apache-maven-<version>, checks its SHA-256 and unpacks it;
@REM later runs start it at once. It is fetched by whichever of these is available, in this order:
@REM   1. the zip already in your local Maven repository (%USERPROFILE%\.m2\repository);
@REM   2. MVNW_REPOURL, if you set it: the base URL of a Maven repository (a company mirror, say);
@REM   3. any Maven already installed (mvn on the PATH), which resolves it from its own
@REM      configured repositories (settings.xml mirrors and proxies apply).
@REM Environment: MAVEN_USER_HOME (default %USERPROFILE%\.m2), MVNW_VERBOSE=true for a trace.
@REM Like mvnw, it gives Maven --sun-misc-unsafe-memory-access=allow on JDK 24 and newer only, and
@REM started from the top folder with -pl naming labs (-pl lab3) it runs in labs\, saying so.
@REM The work is done by PowerShell (part of Windows since Windows 7), below.
@REM ----------------------------------------------------------------------------------------------
@echo off
setlocal
set "MVNW_BASEDIR=%~dp0"
set "MVNW_CMDLINE=%*"
set "MVNW_PLAN=%TEMP%\mvnw-plan-%RANDOM%%RANDOM%.txt"
powershell -NoProfile -NonInteractive -ExecutionPolicy Bypass -Command ^
  "$s = [IO.File]::ReadAllText('%~f0'); $i = $s.IndexOf('#' + 'POWERSHELL#'); Invoke-Expression $s.Substring($i)" > "%MVNW_PLAN%"
if errorlevel 1 (
  del "%MVNW_PLAN%" >nul 2>&1
  exit /b 1
)
set "MVNW_MVN="
set "MVNW_OPTS="
set "MVNW_DIR="
for /f "usebackq tokens=1,* delims==" %%a in ("%MVNW_PLAN%") do (
  if "%%a"=="mvn" set "MVNW_MVN=%%b"
  if "%%a"=="opts" set "MVNW_OPTS=%%b"
  if "%%a"=="dir" set "MVNW_DIR=%%b"
)
del "%MVNW_PLAN%" >nul 2>&1
if not defined MVNW_MVN (
  echo mvnw: could not find or fetch Maven 1>&2
  exit /b 1
)
if defined MVNW_OPTS set "MAVEN_OPTS=%MVNW_OPTS% %MAVEN_OPTS%"
if defined MVNW_DIR cd /d "%MVNW_DIR%"
"%MVNW_MVN%" %*
exit /b %ERRORLEVEL%

#POWERSHELL#
$ErrorActionPreference = 'Stop'
function Die($message) { [Console]::Error.WriteLine("mvnw: $message"); exit 1 }
function Say($message) { if ($env:MVNW_VERBOSE -eq 'true') { [Console]::Error.WriteLine("mvnw: $message") } }
$base = $env:MVNW_BASEDIR.TrimEnd('\')
$props = Join-Path $base '.mvn\wrapper\maven-wrapper.properties'
if (-not (Test-Path $props)) { Die "missing $props" }
function Prop($name) {
  foreach ($line in Get-Content $props) { if ($line -match "^$name=(.*)$") { return $Matches[1].Trim() } }
  return ''
}
$version = Prop 'mavenVersion'
$sha256 = Prop 'distributionSha256Sum'
if (-not $version) { Die "no mavenVersion in $props" }
$userHome = if ($env:MAVEN_USER_HOME) { $env:MAVEN_USER_HOME } else { Join-Path $env:USERPROFILE '.m2' }
$mavenHome = Join-Path $userHome "wrapper\dists\apache-maven-$version"
$mvnCmd = Join-Path $mavenHome 'bin\mvn.cmd'

if (-not (Test-Path $mvnCmd)) {
  $zipName = "apache-maven-$version-bin.zip"
  $repoPath = "org/apache/maven/apache-maven/$version/$zipName"
  $work = Join-Path ([IO.Path]::GetTempPath()) ("mvnw." + [Guid]::NewGuid())
  New-Item -ItemType Directory -Path $work | Out-Null
  try {
    $zip = Join-Path $work $zipName
    $local = Join-Path $userHome ("repository\" + $repoPath.Replace('/', '\'))
    if (Test-Path $local) {
      Say "using $local"
      Copy-Item $local $zip
    } elseif ($env:MVNW_REPOURL) {
      $url = $env:MVNW_REPOURL.TrimEnd('/') + '/' + $repoPath
      Say "downloading $url"
      [Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12
      try { (New-Object Net.WebClient).DownloadFile($url, $zip) } catch { Die "could not download ${url}: $($_.Exception.Message)" }
    } elseif (Get-Command mvn -ErrorAction SilentlyContinue) {
      Say "asking the installed Maven to resolve apache-maven $version"
      # Its output goes to stderr: stdout is the plan that mvnw.cmd reads.
      $ErrorActionPreference = 'Continue'
      & mvn -q -B -Dstyle.color=never dependency:copy "-Dartifact=org.apache.maven:apache-maven:${version}:zip:bin" "-DoutputDirectory=$work" -Dmdep.stripVersion=false 2>&1 |
        ForEach-Object { [Console]::Error.WriteLine("$_") }
      $ErrorActionPreference = 'Stop'
      if ($LASTEXITCODE -ne 0) { Die "the installed Maven could not resolve org.apache.maven:apache-maven:${version}:zip:bin" }
    } else {
      Die ("Maven $version is not in $userHome\wrapper yet, and there is nothing to fetch it with.`n" +
        "  Either install any Maven 3.6.3 or newer (it is used once, to fetch $version),`n" +
        "  or set MVNW_REPOURL to the base URL of a Maven repository that serves $repoPath.")
    }
    if (-not (Test-Path $zip)) { Die "the Maven $version distribution was not fetched" }
    if ($sha256) {
      $actual = (Get-FileHash -Algorithm SHA256 $zip).Hash.ToLowerInvariant()
      if ($actual -ne $sha256.ToLowerInvariant()) { Die "checksum mismatch for ${zipName}: expected $sha256, got $actual" }
    }
    Say "unpacking into $mavenHome"
    New-Item -ItemType Directory -Force -Path (Join-Path $userHome 'wrapper\dists') | Out-Null
    Expand-Archive -Path $zip -DestinationPath (Join-Path $work 'unpacked')
    # Move into place in one step, so that a concurrent or interrupted run never sees half a Maven.
    try { Move-Item (Join-Path $work "unpacked\apache-maven-$version") $mavenHome } catch { if (-not (Test-Path $mvnCmd)) { throw } }
  } finally {
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
  }
}
# The plan, one key=value a line, written as is (not through PowerShell's formatting).
function Plan($line) { [Console]::Out.WriteLine($line) }
Plan "mvn=$mvnCmd"

# JDK 24 and newer warn at every start that Maven's Guice calls sun.misc.Unsafe (JEP 498); JDK 17
# refuses the option that allows it. The version comes from the JDK's release file.
$java = if ($env:JAVA_HOME) { Join-Path $env:JAVA_HOME 'bin\java.exe' } else { (Get-Command java -ErrorAction SilentlyContinue).Source }
if ($java -and (Test-Path $java)) {
  $release = Join-Path (Split-Path (Split-Path $java)) 'release'
  if ((Test-Path $release) -and ((Get-Content $release -Raw) -match 'JAVA_VERSION="(\d+)') -and ([int]$Matches[1] -ge 24) `
      -and -not ("$env:MAVEN_OPTS" -match 'sun-misc-unsafe-memory-access')) {
    Plan "opts=--sun-misc-unsafe-memory-access=allow"
  }
}

# From the top folder, -pl naming labs (-pl lab3) runs in labs\, where those names are.
$here = (Get-Location).Path.TrimEnd('\')
if (($here -eq $base) -and (Test-Path (Join-Path $base 'labs\pom.xml')) -and ("$env:MVNW_CMDLINE" -notmatch '(^|\s)(-f|--file)\b') `
    -and ("$env:MVNW_CMDLINE" -match '(^|\s)(-pl|--projects)\s+"?([\w.,-]+)"?')) {
  $wanted = $Matches[3]
  $inLabs = $true
  foreach ($p in $wanted.Split(',')) {
    if (-not (Test-Path (Join-Path $base "labs\$p\pom.xml")) -or (Test-Path (Join-Path $base $p))) { $inLabs = $false }
  }
  if ($inLabs) {
    [Console]::Error.WriteLine("mvnw: ${wanted}: the labs are in labs\, so this runs there (as cd labs && ..\mvnw ... would)")
    Plan ("dir=" + (Join-Path $base 'labs'))
  }
}
exit 0
