namespace Quamba.Generators.Ptx
{
    internal static class PtxNames
    {
        /// <summary>The extern .shared array that views the launch's dynamic shared memory.</summary>
        public const string DynamicShared = "__dynamic_shared";
    }
}
