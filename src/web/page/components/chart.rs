//! A thin wrapper over Chart.js (vendored in `static/vendor`, MIT): the
//! config is a JSON value built in Rust and handed over as a JS object by
//! `serde-wasm-bindgen` (no text to stringify and parse again); clicks
//! report `(dataset, index)` back, and points may carry a `label` shown on
//! hover.

use js_sys::{Function, Reflect};
use serde::Serialize;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// What a chart draws and what it says to a screen reader.
#[derive(Properties, PartialEq)]
pub struct ChartProps {
    /// A Chart.js configuration (shared: compared by pointer, then by value).
    pub config: Rc<serde_json::Value>,
    /// Accessible description of the chart.
    pub label: String,
    /// Called with `(dataset, index)` when a point or bar is clicked.
    #[prop_or_default]
    pub on_click: Option<Callback<(usize, usize)>>,
}

fn set(target: &JsValue, path: &[&str], value: &JsValue) {
    let mut object = target.clone();
    for key in &path[..path.len() - 1] {
        let next = Reflect::get(&object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
        let next = if next.is_object() {
            next
        } else {
            let fresh: JsValue = js_sys::Object::new().into();
            let _ = Reflect::set(&object, &JsValue::from_str(key), &fresh);
            fresh
        };
        object = next;
    }
    let _ = Reflect::set(&object, &JsValue::from_str(path[path.len() - 1]), value);
}

/// A chart on a canvas.
#[component]
pub fn Chart(props: &ChartProps) -> Html {
    let canvas = use_node_ref();
    {
        let canvas = canvas.clone();
        let on_click = props.on_click.clone();
        use_effect_with(props.config.clone(), move |config| {
            let mut instance: Option<JsValue> = None;
            let mut closures: Vec<Closure<dyn FnMut(JsValue, JsValue) -> JsValue>> = Vec::new();
            let constructor = Reflect::get(&gloo::utils::window(), &JsValue::from_str("Chart"))
                .ok()
                .and_then(|c| c.dyn_into::<Function>().ok());
            let config = config.serialize(&serde_wasm_bindgen::Serializer::json_compatible());
            if let (Some(element), Some(constructor), Ok(config)) =
                (canvas.get(), constructor, config)
            {
                let tooltip = Closure::<dyn FnMut(JsValue, JsValue) -> JsValue>::new(
                    |context: JsValue, _: JsValue| {
                        let raw = Reflect::get(&context, &JsValue::from_str("raw"))
                            .unwrap_or(JsValue::UNDEFINED);
                        let label = Reflect::get(&raw, &JsValue::from_str("label"))
                            .unwrap_or(JsValue::UNDEFINED);
                        if label.is_string() {
                            label
                        } else {
                            Reflect::get(&context, &JsValue::from_str("formattedValue"))
                                .unwrap_or(JsValue::UNDEFINED)
                        }
                    },
                );
                set(
                    &config,
                    &["options", "plugins", "tooltip", "callbacks", "label"],
                    tooltip.as_ref(),
                );
                closures.push(tooltip);
                if let Some(on_click) = on_click {
                    let click = Closure::<dyn FnMut(JsValue, JsValue) -> JsValue>::new(
                        move |_event: JsValue, elements: JsValue| {
                            let first = js_sys::Array::from(&elements).get(0);
                            let get = |k: &str| {
                                Reflect::get(&first, &JsValue::from_str(k))
                                    .ok()
                                    .and_then(|v| v.as_f64())
                            };
                            if let (Some(d), Some(i)) = (get("datasetIndex"), get("index")) {
                                on_click.emit((d as usize, i as usize));
                            }
                            JsValue::UNDEFINED
                        },
                    );
                    set(&config, &["options", "onClick"], click.as_ref());
                    closures.push(click);
                }
                let args = js_sys::Array::of2(&element, &config);
                instance = Reflect::construct(&constructor, &args).ok();
            }
            move || {
                if let Some(chart) = instance {
                    if let Ok(destroy) = Reflect::get(&chart, &JsValue::from_str("destroy")) {
                        if let Ok(f) = destroy.dyn_into::<Function>() {
                            let _ = f.call0(&chart);
                        }
                    }
                }
                drop(closures);
            }
        });
    }
    html! {
        <div class="chart"><canvas ref={canvas} role="img" aria-label={props.label.clone()}></canvas></div>
    }
}
