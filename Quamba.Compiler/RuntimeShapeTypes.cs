using System.Reflection;
using System.Reflection.Emit;
using Quamba.Kernels.Mamba;

namespace Quamba.Compiler;

/// <summary>
/// Shape structs made at run time: a value type implementing the shape interface whose static abstract properties
/// return the config's constants, exactly what a build generates as C# (<c>public static int InnerDim => 640;</c>).
/// The .NET JIT specialises a kernel method over such a type as it does over a compiled one, so the emulator runs the
/// run-time shape. One type per distinct (interface, values), shared by the process.
/// </summary>
internal static class RuntimeShapeTypes
{
    private static readonly ModuleBuilder Module = AssemblyBuilder
        .DefineDynamicAssembly(new AssemblyName("Quamba.RuntimeShapes"), AssemblyBuilderAccess.Run)
        .DefineDynamicModule("Quamba.RuntimeShapes");

    private static readonly Dictionary<string, Type> Types = new(StringComparer.Ordinal);

    public static Type Get(RuntimeShape shape)
    {
        var shapeInterface = typeof(IMamba1Shape).Assembly.GetType(typeof(IMamba1Shape).Namespace + "." + shape.Interface)
            ?? throw new ArgumentException($"'{shape.Interface}' is not a shape interface of Quamba.Kernels.Mamba.", nameof(shape));
        var key = shape.Interface + ":" + string.Join(",", shape.Members.Select(m => m.Key + "=" + m.Value));
        lock (Types)
        {
            if (!Types.TryGetValue(key, out var type))
            {
                type = Define(shapeInterface, shape, "RuntimeShape" + Types.Count + "_" + shape.Name);
                Types[key] = type;
            }
            return type;
        }
    }

    private static Type Define(Type shapeInterface, RuntimeShape shape, string name)
    {
        var builder = Module.DefineType(name, TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.SequentialLayout, typeof(ValueType));
        builder.AddInterfaceImplementation(shapeInterface);
        var values = shape.Members.ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
        foreach (var property in shapeInterface.GetProperties(BindingFlags.Public | BindingFlags.Static))
        {
            if (!values.TryGetValue(property.Name, out int value))
                throw new ArgumentException($"Shape '{shape.Name}' ({shape.Interface}) has no value for {property.Name}.", nameof(shape));
            var getter = builder.DefineMethod("get_" + property.Name,
                MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig | MethodAttributes.SpecialName, typeof(int), Type.EmptyTypes);
            var il = getter.GetILGenerator();
            il.Emit(OpCodes.Ldc_I4, value);
            il.Emit(OpCodes.Ret);
            builder.DefineProperty(property.Name, PropertyAttributes.None, typeof(int), Type.EmptyTypes).SetGetMethod(getter);
            builder.DefineMethodOverride(getter, property.GetMethod!);
        }
        return builder.CreateType();
    }
}
