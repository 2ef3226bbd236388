using System;
using System.Threading;

namespace Quamba.Generators.Common
{
    /// <summary>
    /// Lets tests inject a failure into a pipeline stage, to prove that an exception inside the compiler becomes
    /// an internal-error diagnostic rather than a crashed build. Scoped to the calling flow (AsyncLocal), so
    /// concurrent tests do not see each other's hooks. Never set outside tests.
    /// </summary>
    internal static class TestHooks
    {
        public static readonly AsyncLocal<Action<string>?> BeforeStage = new();

        public static void Enter(string stage) => BeforeStage.Value?.Invoke(stage);
    }
}
