@echo off
rem Launches the Conduit CLI from an installed distribution (bin\, lib\, demo\).
setlocal
set "CONDUIT_HOME=%~dp0.."
if exist "%CONDUIT_HOME%\runtime\bin\java.exe" (
  set "JAVA_CMD=%CONDUIT_HOME%\runtime\bin\java.exe"
) else if defined JAVA_HOME (
  set "JAVA_CMD=%JAVA_HOME%\bin\java.exe"
) else (
  set "JAVA_CMD=java"
)
rem ONNX Runtime's native libraries, unpacked at build time: without this it copies them into %%TEMP%% on every start.
set "ORT_NATIVE="
if exist "%CONDUIT_HOME%\native\win-x64\onnxruntime.dll" set "ORT_NATIVE=-Donnxruntime.native.path=%CONDUIT_HOME%\native\win-x64"
"%JAVA_CMD%" %CONDUIT_JAVA_OPTS% %ORT_NATIVE% "-Dconduit.home=%CONDUIT_HOME%" -cp "%CONDUIT_HOME%\lib\*" io.conduit.installer.cli.ConduitMain %*
exit /b %ERRORLEVEL%
