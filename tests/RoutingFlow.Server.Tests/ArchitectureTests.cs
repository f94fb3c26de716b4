using System.Reflection;
using System.Reflection.Emit;

namespace RoutingFlow.Server.Tests;

/// <summary>The server's layering, checked on the built assembly: domain data in Server, the Web's view models only at the dashboard's edge.</summary>
public sealed class ArchitectureTests
{
    private const string Dashboard = "RoutingFlow.Server.Dashboard";

    private static readonly Assembly Server = typeof(ServerHost).Assembly;
    private static readonly Assembly Web = typeof(RoutingFlow.Web.Traffic.ITrafficFeed).Assembly;

    [Fact]
    public void ServerCode_UsesWebTypes_OnlyInTheDashboardFolder()
    {
        var offenders = Server.GetTypes()
            .Where(t => !InNamespace(t, Dashboard))
            .SelectMany(t => WebTypesUsedBy(t).Select(w => $"{t.FullName} uses {w.FullName}"))
            .Distinct().ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void TheCheck_FindsAWebTypeInTheDashboard()
    {
        Assert.Contains(WebTypesUsedBy(typeof(RoutingFlow.Server.Dashboard.TrafficFeed)), t => t == typeof(RoutingFlow.Web.Traffic.TrafficView));
        Assert.Contains(WebTypesUsedBy(typeof(RoutingFlow.Server.Dashboard.TrafficViews)), t => t == typeof(RoutingFlow.Web.Traffic.NicTraffic)); // in a method body only
    }

    [Fact]
    public void ServerOnlyOptions_AreOwnedByTheirFeature_NotTheCaptureLibrary()
    {
        var capture = typeof(RoutingFlow.Capture.Configuration.RoutingFlowOptions);
        Assert.Equal(["Capture", "Connections", "DataDirectory", "Mapping", "Network", "NicFile", "Probe", "Tcp"],
            capture.GetProperties().Select(p => p.Name).Order(StringComparer.Ordinal));
        var features = Server.GetTypes().Where(t => t.IsClass && typeof(RoutingFlow.Server.Configuration.IFeatureOptions).IsAssignableFrom(t)).ToList();
        Assert.Equal(["Advice.AdviceOptions", "Alerts.AlertOptions", "Diagnosis.DiagnosisOptions", "Fleet.FleetOptions", "Legacy.LegacyPortsOptions", "Metrics.MetricsOptions", "Monitoring.MonitorOptions", "Security.SecurityOptions", "Storage.StorageOptions"],
            features.Select(t => t.FullName!["RoutingFlow.Server.".Length..]).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(capture.Assembly.GetTypes(), t => t.Name is "MonitorOptions" or "StorageOptions" or "AlertOptions" or "SecurityOptions" or "MetricsOptions" or "LegacyPortsOptions");
    }

    [Fact]
    public void Features_TakeTheirOwnOptionsAndTheRoutersLayout_NotTheWholeSettings()
    {
        var settings = typeof(RoutingFlow.Capture.Configuration.RoutingFlowSettings);
        var offenders = Server.GetTypes()
            .Where(t => !InNamespace(t, "RoutingFlow.Server.Configuration") && !InNamespace(t, "RoutingFlow.Server.Cli") && !IsComposition(t))
            .Where(t => TypesUsedBy(t).Contains(settings))
            .Select(t => t.FullName).ToList();

        Assert.Empty(offenders);
        Assert.Contains(settings, TypesUsedBy(typeof(RoutingFlow.Server.Capture.Extensions))); // the check sees composition's use
    }

    /// <summary>The composition root and each feature's <c>Extensions</c> (and the lambdas they hold) get the settings as a parameter.</summary>
    private static bool IsComposition(Type type)
    {
        for (var t = type; t is not null; t = t.DeclaringType)
        {
            if (t == typeof(ServerHost) || t.Name == "Extensions")
                return true;
        }
        return false;
    }

    private static bool InNamespace(Type type, string ns) =>
        type.Namespace is { } n && (n == ns || n.StartsWith(ns + ".", StringComparison.Ordinal));

    /// <summary>The types <paramref name="type"/> names in its signatures, fields and method bodies (its nested and compiler-made types are checked on their own).</summary>
    private static IEnumerable<Type> WebTypesUsedBy(Type type) => TypesUsedBy(type).Where(t => t.Assembly == Web);

    private static IEnumerable<Type> TypesUsedBy(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var named = new List<Type?> { type.BaseType };
        named.AddRange(type.GetInterfaces());
        named.AddRange(type.GetFields(all).Select(f => f.FieldType));
        named.AddRange(type.GetProperties(all).Select(p => p.PropertyType));
        named.AddRange(type.GetEvents(all).Select(e => e.EventHandlerType));
        var methods = type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)).ToList();
        foreach (var method in methods)
        {
            named.AddRange(method.GetParameters().Select(p => p.ParameterType));
            if (method is MethodInfo info)
                named.Add(info.ReturnType);
            named.AddRange(BodyTypes(method));
        }
        return named.Where(t => t is not null).SelectMany(t => Expand(t!)).Distinct();
    }

    private static IEnumerable<Type> Expand(Type type)
    {
        if (type.HasElementType)
            return Expand(type.GetElementType()!);
        return type.IsGenericType ? [type, .. type.GetGenericArguments().SelectMany(Expand)] : [type];
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>The types a method's IL names: types, and the declaring types, parameters and results of the members it calls or reads.</summary>
    private static IEnumerable<Type> BodyTypes(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
            yield break;
        var module = method.Module;
        var (typeArgs, methodArgs) = (method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null,
            method.IsGenericMethod ? method.GetGenericArguments() : null);
        for (var i = 0; i < il.Length;)
        {
            var value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            i += il[i] == 0xFE ? 2 : 1;
            var op = OpCodesByValue[value];
            var token = op.OperandType is OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok
                ? BitConverter.ToInt32(il, i) : 0;
            i += OperandSize(op, il, i);
            if (token == 0)
                continue;
            MemberInfo? member = null;
            try
            {
                member = module.ResolveMember(token, typeArgs, methodArgs);
            }
            catch (ArgumentException)
            {
            }
            switch (member)
            {
                case Type t:
                    yield return t;
                    break;
                case MethodBase m:
                    if (m.DeclaringType is { } d)
                        yield return d;
                    foreach (var p in m.GetParameters())
                        yield return p.ParameterType;
                    if (m is MethodInfo mi)
                        yield return mi.ReturnType;
                    foreach (var g in m.IsGenericMethod ? m.GetGenericArguments() : [])
                        yield return g;
                    break;
                case FieldInfo f:
                    yield return f.FieldType;
                    if (f.DeclaringType is { } fd)
                        yield return fd;
                    break;
            }
        }
    }

    private static int OperandSize(OpCode op, byte[] il, int at) => op.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
        _ => 4,
    };
}
